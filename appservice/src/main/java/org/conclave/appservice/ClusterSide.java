package org.conclave.appservice;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.conclave.appservice.ops.GracefulShutdown;
import org.conclave.appservice.ops.metrics.Metrics;
import org.conclave.cluster.ClusterConfig;
import org.conclave.cluster.ClusterVertx;
import org.conclave.cluster.node.SfuLoad;
import org.conclave.cluster.node.SfuNode;
import org.conclave.cluster.placement.ClusterControl;
import org.conclave.cluster.placement.ClusterCounters;
import org.conclave.sfu.Sfu;

/**
 * What {@code cluster.role} adds to a process: the clustered Vert.x (Hazelcast), and then, by role, the SFU node that
 * serves this process's SFU on the event bus ({@link SfuNode}) and the placement the appservice drives its calls
 * through ({@link ClusterControl}). Absent (null in {@link ConclaveServer}) when standalone.
 */
public final class ClusterSide implements AutoCloseable {
    static final Duration JOIN_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(10);

    private final ClusterConfig config;
    private final ClusterVertx.Joined joined;
    private SfuNode node;
    private ClusterControl placement;

    private ClusterSide(ClusterConfig config, ClusterVertx.Joined joined) {
        this.config = config;
        this.joined = joined;
    }

    static ClusterSide join(ClusterConfig config, Metrics metrics) throws IOException {
        try {
            return new ClusterSide(config, ClusterVertx.join(config, metrics::vertxBuilder, JOIN_TIMEOUT));
        } catch (Exception e) {
            throw new IOException("could not join the cluster on " + config.bindInterface() + ":" + config.port()
                    + " (cluster.interface, cluster.port; members " + config.members() + "): " + e, e);
        }
    }

    /** Serves {@code sfu} as a node (when it is not null) and starts placement (when the role runs the appservice). */
    void startParts(Sfu sfu, int maxEndpoints, MeterRegistry registry) throws IOException {
        try {
            if (sfu != null) {
                node = SfuNode.start(vertx(), nodeName(), joined.membership(), sfu.control(),
                        new SfuLoad(sfu, maxEndpoints), config.heartbeatIntervalMs(), config.drain())
                        .await(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
            if (config.runsAppservice()) {
                placement = ClusterControl.start(vertx(), joined.membership(), config.nodeTimeoutMs(),
                        config.heartbeatIntervalMs(), config.requestTimeoutMs(), System::nanoTime)
                        .await(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                register(registry, placement.counters());
            }
        } catch (Exception e) {
            throw new IOException("could not start on the cluster's event bus: " + e, e);
        }
    }

    public Vertx vertx() {
        return joined.vertx();
    }

    /** {@code cluster.node_name}, or this member's address when it is empty. */
    public String nodeName() {
        return config.nodeName().isEmpty() ? joined.memberAddress() : config.nodeName();
    }

    /** The SFU node this process serves, or null. */
    public SfuNode node() {
        return node;
    }

    /** The placement the call handler uses, or null (role sfu). */
    public ClusterControl placement() {
        return placement;
    }

    /** One line for the operator: role, member address, event bus, node name. */
    public String summary() {
        return "role " + config.role() + ", member " + joined.memberAddress() + ", event bus "
                + config.bindInterface() + ":" + (config.eventBusPort() == 0 ? "ephemeral" : config.eventBusPort())
                + (node != null ? ", SFU node " + nodeName() + (node.draining() ? " (draining)" : "") : "")
                + ", members " + (config.members().isEmpty() ? "none listed (a new cluster)" : config.members());
    }

    /** At shutdown the appservice's calls on every node close (the nodes are told; the handler hangs up). */
    GracefulShutdown.Media shutdownMedia() {
        return new GracefulShutdown.Media() {
            @Override
            public void drain() {
                // Transactions are refused from now on: no new call reaches placement.
            }

            @Override
            public java.util.concurrent.CompletionStage<Integer> closeAll(String detail) {
                return placement.closeAllForShutdown(detail);
            }
        };
    }

    private static void register(MeterRegistry r, ClusterCounters c) {
        Gauge.builder("conclave.cluster.nodes", c, ClusterCounters::nodesAlive)
                .description("SFU nodes heard within cluster.node_timeout_ms").register(r);
        FunctionCounter.builder("conclave.cluster.node.failures", c, ClusterCounters::nodeFailures)
                .description("SFU nodes declared dead (silent, left the cluster, restarted)").register(r);
        FunctionCounter.builder("conclave.cluster.endpoints.lost", c, ClusterCounters::endpointsLost)
                .description("Calls ended because their SFU node failed").register(r);
        FunctionCounter.builder("conclave.cluster.refused", c, ClusterCounters::refusedNoNode)
                .description("New conferences refused: no node could take them").register(r);
    }

    /** Stops serving and placing (Vert.x, and with it the cluster membership, is closed by the server). */
    @Override
    public void close() {
        if (node != null) node.close();
        if (placement != null) placement.close();
    }
}
