package org.conclave.tests.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.conclave.sfu.forward.IceTcpStats;
import org.conclave.tests.harness.InboundRtp;
import org.conclave.tests.harness.PeerCommand;
import org.conclave.tests.harness.PeerProcess;
import org.conclave.tests.harness.PeerReport;
import org.conclave.tests.harness.PeerStats;
import org.conclave.tests.harness.Stats;
import org.conclave.tests.harness.TestPaths;
import org.junit.jupiter.api.Test;

/**
 * ICE-TCP (issue 15, must-show 2): a headless Chromium page whose UDP is unusable (the SFU's UDP candidates are
 * removed from every SDP it applies, so only the passive TCP candidate can be paired) joins over TCP and exchanges
 * audio and video both ways with a page on UDP. Its selected candidate pair is TCP on both sides (getStats).
 */
class IceTcpTest {

    @Test
    void chromiumWithoutUdpJoinsOverIceTcpAndExchangesMediaBothWays() throws Exception {
        try (SfuFixture f = SfuFixture.start();
                PeerProcess chromium = PeerProcess.start("chromium", PeerCommand.chromium(2)
                        .signal(f.signal).conference("room-tcp").participant("chrome")
                        .durationMs(12_000).video().audio()
                        .arg("--page-query", "1:iceTcp=1").command(), TestPaths.jsDir())) {
            PeerReport report = chromium.awaitSuccess(Duration.ofSeconds(90));
            List<PeerStats> peers = Stats.peers(report);
            assertThat(peers).hasSize(2);
            for (PeerStats p : peers) {
                String why = Stats.describe(p);
                assertThat(p.connectionState()).as(why).isEqualTo("connected");
                assertThat(p.error()).as(why).isNull(); // the TCP page reports a selected pair other than tcp/tcp
                List<InboundRtp> video = Stats.decodingVideo(p, 30);
                assertThat(video).as("video decoding at %s: %s", p.participant(), why).hasSize(1);
                assertThat(Stats.receivingAudio(p, 100)).as("audio at %s: %s", p.participant(), why).hasSize(1);
            }
            IceTcpStats tcp = f.sfu.tcpStats();
            assertThat(tcp.accepted()).isPositive();
            assertThat(tcp.closed(IceTcpStats.CloseReason.REJECTED)).isZero();
            assertThat(tcp.closed(IceTcpStats.CloseReason.FRAMING)).isZero();
            assertThat(f.sfu.packetStats().tcpWriteBufferDrops()).isZero();
            assertThat(f.sfu.packetStats().internalErrors()).isZero();
        }
    }
}
