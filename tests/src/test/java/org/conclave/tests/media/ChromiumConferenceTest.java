package org.conclave.tests.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.conclave.tests.harness.InboundRtp;
import org.conclave.tests.harness.PeerCommand;
import org.conclave.tests.harness.PeerProcess;
import org.conclave.tests.harness.PeerReport;
import org.conclave.tests.harness.PeerStats;
import org.conclave.tests.harness.Stats;
import org.conclave.tests.harness.TestPaths;
import org.junit.jupiter.api.Test;

/** Three headless Chromium peers in one conference: each decodes audio and video of both others. */
class ChromiumConferenceTest {

    @Test
    void threeChromiumPeersDecodeEachOther() throws Exception {
        try (SfuFixture f = SfuFixture.start();
                PeerProcess chromium = PeerProcess.start("chromium", PeerCommand.chromium(3)
                        .signal(f.signal).conference("room-a").participant("chrome")
                        .durationMs(12_000).video().audio().command(), TestPaths.jsDir())) {
            PeerReport report = chromium.awaitSuccess(Duration.ofSeconds(90));
            List<PeerStats> peers = Stats.peers(report);
            assertThat(peers).hasSize(3);
            for (PeerStats p : peers) {
                String why = Stats.describe(p);
                assertThat(p.connectionState()).as(why).isEqualTo("connected");
                List<InboundRtp> video = Stats.decodingVideo(p, 30);
                List<InboundRtp> audio = Stats.receivingAudio(p, 100);
                assertThat(video).as("video tracks decoding at %s: %s", p.participant(), why).hasSize(2);
                assertThat(audio).as("audio tracks receiving at %s: %s", p.participant(), why).hasSize(2);
                // The two remote sources come from the two other participants, not one twice.
                assertThat(video.stream().map(InboundRtp::streamId).distinct()).hasSize(2);
            }
            assertThat(f.sfu.packetStats().internalErrors()).isZero();
        }
    }

    @Test
    void simulcastSendersStillReachEveryoneAsOneStreamPerSource() throws Exception {
        try (SfuFixture f = SfuFixture.start();
                PeerProcess chromium = PeerProcess.start("chromium", PeerCommand.chromium(2)
                        .signal(f.signal).conference("room-s").participant("chrome")
                        .durationMs(10_000).video().audio().arg("--simulcast").command(), TestPaths.jsDir())) {
            PeerReport report = chromium.awaitSuccess(Duration.ofSeconds(90));
            for (PeerStats p : Stats.peers(report)) {
                String why = Stats.describe(p);
                assertThat(Stats.decodingVideo(p, 30)).as(why).hasSize(1);
                assertThat(Stats.receivingAudio(p, 100)).as(why).hasSize(1);
            }
            assertThat(f.sfu.packetStats().internalErrors()).isZero();
        }
    }
}
