package org.conclave.tests.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.conclave.tests.harness.InboundRtp;
import org.conclave.tests.harness.PeerCommand;
import org.conclave.tests.harness.PeerProcess;
import org.conclave.tests.harness.PeerReport;
import org.conclave.tests.harness.PeerStats;
import org.conclave.tests.harness.Stats;
import org.conclave.tests.harness.TestPaths;
import org.junit.jupiter.api.Test;

/**
 * The SFU never changes payload bytes: each Chromium sender appends a checksum trailer to every encoded frame
 * (Encoded Transform), and each receiver checks every frame it gets through the SFU.
 */
class PayloadOpacityTest {

    @Test
    void everyEncodedFrameArrivesExactlyAsSent() throws Exception {
        try (SfuFixture f = SfuFixture.start();
                PeerProcess chromium = PeerProcess.start("chromium", PeerCommand.chromium(2)
                        .signal(f.signal).conference("opaque").participant("chrome")
                        .durationMs(10_000).video().audio().arg("--payload-check").command(), TestPaths.jsDir())) {
            PeerReport report = chromium.awaitSuccess(Duration.ofSeconds(90));
            for (PeerStats p : Stats.peers(report)) {
                String why = Stats.describe(p);
                assertThat(p.inbound()).as(why).hasSize(2);
                for (InboundRtp in : p.inbound()) {
                    assertThat(in.framesChecked()).as("frames checked on %s %s: %s", in.kind(), in.trackIdentifier(), why)
                            .isGreaterThan(in.kind().equals("video") ? 30 : 100);
                    assertThat(in.framesCorrupt()).as("corrupt frames on %s: %s", in.kind(), why).isZero();
                }
                // Frames still decode after the check strips the trailer: the payload is untouched end to end.
                assertThat(Stats.decodingVideo(p, 30)).as(why).hasSize(1);
            }
        }
    }
}
