package org.conclave.cluster;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A Vert.x instance in the cluster: Hazelcast bound to {@code cluster.interface:port} (no auto-increment, so the port
 * is the configured one), joining by TCP-IP the listed members (multicast and auto-detection off), and the event bus on
 * {@code cluster.interface:event_bus_port}. Hazelcast's failure detector is tightened to the node timeout (its
 * default waits 60 s for a silent member), and so is its search for other clusters: a member it removed that comes
 * back (a partition healed, a frozen process resumed) forms a cluster of its own until that search merges it back,
 * which by default starts after 5 minutes. Its shutdown hook is off: a SIGTERM must let the graceful shutdown send its
 * last events before this process leaves the cluster.
 */
public final class ClusterVertx {
    /** The member attribute in which Vert.x's Hazelcast cluster manager keeps a member's Vert.x node id. */
    static final String VERTX_NODE_ID = "__vertx.nodeId";

    private ClusterVertx() {}

    /** The running instance and what it learnt while joining. */
    public record Joined(Vertx vertx, Membership membership, String memberAddress) {}

    /**
     * Joins; blocks the calling thread (the start-up thread, never an event loop) until joined or {@code timeout}.
     *
     * @param builder a Vert.x builder for the given options (the metrics are set up there)
     */
    public static Joined join(ClusterConfig config, Function<VertxOptions, VertxBuilder> builder, Duration timeout)
            throws Exception {
        HazelcastClusterManager manager = new HazelcastClusterManager(hazelcast(config));
        VertxOptions options = new VertxOptions().setEventBusOptions(new EventBusOptions()
                .setHost(config.bindInterface()).setPort(config.eventBusPort())
                .setClusterPublicHost(config.bindInterface()));
        Vertx vertx = builder.apply(options).withClusterManager(manager).buildClustered()
                .await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        var local = manager.getHazelcastInstance().getCluster().getLocalMember().getAddress();
        String address = local.getHost().contains(":") ? "[" + local.getHost() + "]:" + local.getPort()
                : local.getHost() + ":" + local.getPort();
        return new Joined(vertx, new HazelcastMembership(manager), address);
    }

    static Config hazelcast(ClusterConfig config) {
        Config hz = ConfigUtil.loadConfig();
        hz.setClusterName(config.clusterName());
        hz.setProperty("hazelcast.logging.type", "slf4j");
        hz.setProperty("hazelcast.phone.home.enabled", "false");
        hz.setProperty("hazelcast.shutdownhook.enabled", "false");
        hz.setProperty("hazelcast.socket.bind.any", "false");
        hz.setProperty("hazelcast.heartbeat.interval.seconds", "1");
        long timeoutSeconds = Math.max(2, (config.nodeTimeoutMs() + 999) / 1000);
        hz.setProperty("hazelcast.max.no.heartbeat.seconds", String.valueOf(timeoutSeconds));
        // The master of each cluster looks for the others (the listed and the previously known members) this often.
        hz.setProperty("hazelcast.merge.first.run.delay.seconds", String.valueOf(timeoutSeconds));
        hz.setProperty("hazelcast.merge.next.run.delay.seconds", String.valueOf(timeoutSeconds));
        // A member list to try, not a wait for more members: the first member starts a cluster at once.
        hz.setProperty("hazelcast.wait.seconds.before.join", "0");
        NetworkConfig network = hz.getNetworkConfig();
        network.setPort(config.port()).setPortAutoIncrement(false);
        network.getInterfaces().setEnabled(true).addInterface(config.bindInterface());
        JoinConfig join = network.getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        join.getTcpIpConfig().setEnabled(true);
        config.memberAddresses().forEach(m -> join.getTcpIpConfig().addMember(m.hazelcastAddress()));
        return hz;
    }

    /**
     * Hazelcast's view of the members, by Vert.x cluster node id: a member attribute, not Hazelcast's member UUID
     * (which differs, and changes when a member merges back).
     */
    private static final class HazelcastMembership implements Membership {
        private final HazelcastClusterManager manager;

        HazelcastMembership(HazelcastClusterManager manager) {
            this.manager = manager;
        }

        @Override
        public String localNodeId() {
            return manager.getNodeId();
        }

        @Override
        public boolean isMember(String clusterNodeId) {
            return manager.getNodes().contains(clusterNodeId);
        }

        @Override
        public void onMemberLeft(Consumer<String> listener) {
            manager.getHazelcastInstance().getCluster().addMembershipListener(new MembershipListener() {
                @Override
                public void memberAdded(MembershipEvent event) {}

                @Override
                public void memberRemoved(MembershipEvent event) {
                    String id = event.getMember().getAttribute(VERTX_NODE_ID);
                    if (id != null) listener.accept(id); // null: a member that runs no Vert.x
                }
            });
        }
    }
}
