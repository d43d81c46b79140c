package org.conclave.tests.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.conclave.sfu.config.SfuConfig;
import org.conclave.sfu.control.VideoQuality;
import org.conclave.sfu.forward.WorkerStats;
import org.conclave.tests.client.JavaPeer;
import org.junit.jupiter.api.Test;

/**
 * Issue #14 point 3: a conference larger than one packet thread (forced by a per-thread limit of 3) spans two threads
 * through the in-process pipe. The viewers on the second thread get the presenter from the first, the presenter's
 * packets are decrypted once (on its own thread) and piped once per packet to the other thread whatever its number
 * of viewers, and a layer switch asked on the far thread reaches the sender as a key-frame request.
 */
class PipedConferenceTest {
    static final int PER_THREAD = 3;
    static final int VIEWERS = 4;
    static final long PACKETS = 300;

    @Test
    void viewersOnTheOtherThreadGetThePresenterThroughThePipe() throws Exception {
        List<AutoCloseable> closing = new ArrayList<>();
        SfuConfig config = SfuConfig.defaults().withBindAddress("127.0.0.1").withUdpPort(0).withPacketThreads(2)
                .withMaxEndpointsPerThread(PER_THREAD);
        try (SfuFixture f = SfuFixture.start(config)) {
            JavaRig.startSimulcastSender(f.sfu.control(), "webinar", 100_000, 800_000, false, closing);
            List<JavaRig.Member> viewers = new ArrayList<>();
            for (int i = 0; i < VIEWERS; i++) {
                JavaPeer p = new JavaPeer();
                p.keepPackets = false;
                closing.add(p);
                viewers.add(JavaRig.join(f.sfu.control(), "webinar", "viewer-" + i, p, null));
            }
            List<InetSocketAddress> ports = f.sfu.boundAddresses();
            int[] threadOf = new int[VIEWERS];
            for (int i = 0; i < VIEWERS; i++) threadOf[i] = threadOf(viewers.get(i), ports);
            // Sender and two viewers fill the first thread; the other two go to the second.
            assertThat(threadOf).containsExactly(0, 0, 1, 1);

            boolean all = JavaRig.await(() -> viewers.stream().allMatch(v -> v.videoTrack() != null
                    && packets(v) >= PACKETS), Duration.ofSeconds(20));
            WorkerStats t0 = f.sfu.packetStats().parts().get(0);
            WorkerStats t1 = f.sfu.packetStats().parts().get(1);
            String seen = describe(viewers, t0, t1);
            System.out.println("PipedConferenceTest: " + seen);
            assertThat(all).as("every viewer receives the presenter: %s", seen).isTrue();
            assertThat(t1.rtpDecrypted()).as("no presenter packet decrypted on the far thread: %s", seen).isZero();
            assertThat(t0.pipedOut()).as("piped: %s", seen).isPositive()
                    // once per packet for the far thread, not once per far viewer
                    .isLessThanOrEqualTo(t0.rtpDecrypted());
            assertThat(t1.pipedIn()).as("received through the pipe: %s", seen).isPositive();

            // A far viewer asks for full-res: the switch needs a key frame from the sender, asked through the pipe.
            JavaRig.Member far = viewers.get(3);
            JavaRig.setQuality(f.sfu.control(), far, VideoQuality.FULL_RES);
            assertThat(JavaRig.await(() -> JavaRig.lastLayer(far) == JavaRig.FULL_RES_LAYER, Duration.ofSeconds(10)))
                    .as("far viewer switched to full-res: %s", describe(viewers, t0, t1)).isTrue();
            assertThat(f.sfu.packetStats().pipeDrops()).isZero();
            assertThat(f.sfu.packetStats().internalErrors()).isZero();
        } finally {
            for (AutoCloseable c : closing) c.close();
        }
    }

    /** The packet thread an endpoint lives on: the one whose port its answer's candidates name. */
    private static int threadOf(JavaRig.Member m, List<InetSocketAddress> ports) {
        Matcher c = Pattern.compile("a=candidate:\\S+ \\d+ udp \\d+ \\S+ (\\d+) typ host").matcher(m.answer.sdp());
        assertThat(c.find()).as("a host candidate in %s", m.answer.sdp()).isTrue();
        int port = Integer.parseInt(c.group(1));
        for (int i = 0; i < ports.size(); i++) {
            if (ports.get(i).getPort() == port) return i;
        }
        throw new AssertionError("candidate port " + port + " is no packet thread's: " + ports);
    }

    private static long packets(JavaRig.Member m) {
        return m.peer.ledger.streams().stream().mapToLong(s -> s.packets()).sum();
    }

    private static String describe(List<JavaRig.Member> viewers, WorkerStats t0, WorkerStats t1) {
        StringBuilder b = new StringBuilder("viewer packets");
        for (JavaRig.Member v : viewers) b.append(' ').append(packets(v));
        return b.append("; thread 0 decrypted ").append(t0.rtpDecrypted()).append(" piped out ").append(t0.pipedOut())
                .append("; thread 1 decrypted ").append(t1.rtpDecrypted()).append(" piped in ").append(t1.pipedIn())
                .toString();
    }
}
