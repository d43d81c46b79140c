package org.conclave.tests.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.conclave.sfu.control.CloseCause;
import org.conclave.tests.client.JavaPeer;
import org.junit.jupiter.api.Test;

/**
 * Issue #14: DTLS without a blocked thread per endpoint. Many endpoints complete DTLS and stay connected while the
 * SFU's DTLS pool keeps a bounded number of threads (it used to be one per endpoint); the connected sessions still
 * read: a client's close_notify is noticed and ends its call as the client's own hang-up.
 */
class DtlsThreadsTest {
    static final int ENDPOINTS = 40;
    /** The SFU's DTLS pool on this machine (conference.DtlsLinks: 4 per core, at least 8). */
    static final int POOL = Math.max(8, 4 * Runtime.getRuntime().availableProcessors());
    static final int HANG_UPS = 5;

    @Test
    void manyConnectedEndpointsShareABoundedPool() throws Exception {
        List<AutoCloseable> closing = new ArrayList<>();
        try (SfuFixture f = SfuFixture.start()) {
            List<JavaRig.Member> members = new ArrayList<>();
            for (int i = 0; i < ENDPOINTS; i++) {
                JavaPeer p = new JavaPeer();
                p.keepPackets = false;
                closing.add(p);
                // connect() returns once DTLS is done: every session below is connected.
                members.add(JavaRig.join(f.sfu.control(), "dtls-" + i, "p" + i, p, null));
            }
            long dtlsThreads = sfuDtlsThreads();
            System.out.printf("DtlsThreadsTest: %d endpoints connected, %d SFU DTLS threads (pool %d), %d threads "
                    + "in the JVM%n", ENDPOINTS, dtlsThreads, POOL, Thread.activeCount());
            assertThat(dtlsThreads).as("SFU DTLS threads with %d connected endpoints", ENDPOINTS)
                    .isPositive().isLessThanOrEqualTo(POOL);

            for (int i = 0; i < HANG_UPS; i++) members.get(i).peer.hangUp(5_000);
            assertThat(JavaRig.await(() -> members.subList(0, HANG_UPS).stream().allMatch(m -> m.closed),
                    Duration.ofSeconds(10))).as("close_notify noticed by the SFU").isTrue();
            for (JavaRig.Member m : members.subList(0, HANG_UPS)) {
                assertThat(m.closeCause).as(m.name).isEqualTo(CloseCause.CLIENT);
            }
            assertThat(members.subList(HANG_UPS, ENDPOINTS)).noneMatch(m -> m.closed);
            assertThat(f.sfu.packetStats().internalErrors()).isZero();
        } finally {
            for (AutoCloseable c : closing) c.close();
        }
    }

    private static long sfuDtlsThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith("sfu-dtls-")).count();
    }
}
