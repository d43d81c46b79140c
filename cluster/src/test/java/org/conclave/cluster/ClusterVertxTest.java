package org.conclave.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * Two members of a real Hazelcast cluster on loopback (ephemeral ports, a cluster name of their own): membership speaks
 * in Vert.x cluster node ids, the ids event-bus addresses, heartbeats and endpoint owners carry. Hazelcast's own
 * member UUIDs differ from them; a listener given those would never match a node or an owner.
 */
class ClusterVertxTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @Test
    void aMemberIsKnownAndLeavesByItsVertxNodeId() throws Exception {
        String cluster = "test-" + UUID.randomUUID();
        ClusterVertx.Joined first = ClusterVertx.join(config(cluster, List.of()), o -> Vertx.builder().with(o),
                TIMEOUT);
        try {
            ClusterVertx.Joined second = ClusterVertx.join(config(cluster, List.of(first.memberAddress())),
                    o -> Vertx.builder().with(o), TIMEOUT);
            String secondId = second.membership().localNodeId();
            BlockingQueue<String> left = new LinkedBlockingQueue<>();
            first.membership().onMemberLeft(left::add);
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (!first.membership().isMember(secondId) && System.nanoTime() < deadline) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
            }
            assertThat(first.membership().isMember(secondId)).as("the second member, seen by the first").isTrue();
            assertThat(first.membership().isMember(first.membership().localNodeId())).isTrue();
            assertThat(first.membership().isMember("no-such-node")).isFalse();

            second.vertx().close().await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(left.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).as("who left").isEqualTo(secondId);
            assertThat(first.membership().isMember(secondId)).isFalse();
        } finally {
            first.vertx().close().await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private static ClusterConfig config(String cluster, List<String> members) {
        return new ClusterConfig(ClusterConfig.SFU, "", cluster, "127.0.0.1", 0, 0, members, 1000, 3000, 5000,
                false);
    }
}
