package org.conclave.tests.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.conclave.sfu.control.VideoQuality;
import org.conclave.tests.client.JavaPeer;
import org.conclave.tests.harness.UdpShaper;
import org.junit.jupiter.api.Test;

/**
 * A sender that negotiated {@code ccm tmmbr} is clamped with TMMBR (RFC 5104) naming its layer SSRCs, not REMB, and
 * the requested rate converges to its one full-res viewer's shaped downlink just the same.
 */
class TmmbrClampTest {
    static final long DOWNLINK = 800_000;

    @Test
    void tmmbrSenderIsClampedWithTmmbr() throws Exception {
        List<AutoCloseable> closing = new ArrayList<>();
        try (SfuFixture f = SfuFixture.start()) {
            JavaPeer senderPeer = JavaRig.startSimulcastSender(f.sfu.control(), "tmmbr", 150_000, 1_800_000, true,
                    closing);
            UdpShaper shaper = JavaRig.shaper(f, DOWNLINK, 7);
            closing.add(shaper);
            JavaPeer viewerPeer = new JavaPeer();
            viewerPeer.keepPackets = false;
            closing.add(viewerPeer);
            JavaRig.Member viewer = JavaRig.join(f.sfu.control(), "tmmbr", "viewer", viewerPeer, shaper);
            assertThat(JavaRig.await(() -> viewer.videoTrack() != null && JavaRig.videoBytes(viewer) > 0,
                    Duration.ofSeconds(15))).as("the viewer receives video").isTrue();
            long asked = System.nanoTime();
            JavaRig.setQuality(f.sfu.control(), viewer, VideoQuality.FULL_RES);

            long settledMs = RateControlTest.settle(senderPeer, DOWNLINK, asked, Duration.ofSeconds(15));
            String requests = RateControlTest.describe(senderPeer, asked);
            System.out.printf("TmmbrClampTest: TMMBR within 20%% of %d bit/s after %d ms; requests %s%n", DOWNLINK,
                    settledMs, requests);
            assertThat(settledMs).as("requests %s", requests).isGreaterThanOrEqualTo(0);
            List<JavaPeer.RateRequest> all = senderPeer.rateRequests();
            assertThat(all).extracting(JavaPeer.RateRequest::kind).containsOnly("TMMBR");
            assertThat(all.get(all.size() - 1).ssrcs()).contains(senderPeer.ridSsrc("hi"));
        } finally {
            for (AutoCloseable c : closing) c.close();
        }
    }
}
