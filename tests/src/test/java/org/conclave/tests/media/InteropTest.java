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
 * Independently written WebRTC stacks connect (ICE + DTLS + SRTP) to the SFU and exchange audio and video with a
 * Chromium peer through it: libwebrtc in Node (@roamhq/wrtc) and aiortc (Python).
 */
class InteropTest {
    private static final long DURATION_MS = 12_000;

    @Test
    void libwebrtcExchangesMediaWithChromium() throws Exception {
        exchange(PeerCommand.wrtc(), "wrtc", TestPaths.jsDir());
    }

    @Test
    void aiortcExchangesMediaWithChromium() throws Exception {
        exchange(PeerCommand.aiortc(), "aiortc", TestPaths.pyDir());
    }

    private static void exchange(PeerCommand other, String name, java.nio.file.Path dir) throws Exception {
        try (SfuFixture f = SfuFixture.start();
                PeerProcess chromium = PeerProcess.start("chromium", PeerCommand.chromium(1)
                        .signal(f.signal).conference("interop").participant("chrome")
                        .durationMs(DURATION_MS).video().audio().command(), TestPaths.jsDir());
                PeerProcess peer = PeerProcess.start(name, other
                        .signal(f.signal).conference("interop").participant(name)
                        .durationMs(DURATION_MS).video().audio().command(), dir)) {
            PeerReport chromeReport = chromium.awaitSuccess(Duration.ofSeconds(90));
            PeerReport otherReport = peer.awaitSuccess(Duration.ofSeconds(90));
            PeerStats chrome = Stats.peers(chromeReport).get(0);
            PeerStats them = Stats.peers(otherReport).get(0);
            assertThat(Stats.decodingVideo(chrome, 20)).as("Chromium decodes %s's video: %s", name,
                    Stats.describe(chrome)).hasSize(1);
            assertThat(Stats.receivingAudio(chrome, 50)).as("Chromium receives %s's audio: %s", name,
                    Stats.describe(chrome)).hasSize(1);
            assertThat(Stats.decodingVideo(them, 10)).as("%s decodes Chromium's video: %s", name,
                    Stats.describe(them)).hasSize(1);
            assertThat(Stats.receivingAudio(them, 50)).as("%s receives Chromium's audio: %s", name,
                    Stats.describe(them)).hasSize(1);
            assertThat(f.sfu.packetStats().internalErrors()).isZero();
            // Receivers see the senders' own msid stream ids (the SFU keeps them; a=msid-semantic: WMS *).
            assertThat(streamIds(them.inbound())).as("%s sees Chromium's stream", name)
                    .containsExactlyElementsOf(streamIds(chrome.localMsids()));
            assertThat(streamIds(chrome.inbound())).as("Chromium sees %s's stream", name)
                    .containsExactlyElementsOf(streamIds(them.localMsids()));
            if (name.equals("aiortc")) {
                // aiortc 1.4 exposes no remote stream, only the track id, and takes it from a=msid only when
                // a=msid-semantic lists the stream or "*" (with a bare "WMS" its tracks got random ids).
                assertThat(them.inbound()).extracting(InboundRtp::trackIdentifier).as("aiortc's remote track ids")
                        .containsExactlyInAnyOrderElementsOf(chrome.localMsids().stream()
                                .map(m -> m.split(" ")[1]).toList());
            }
        }
    }

    private static java.util.List<String> streamIds(java.util.List<?> tracksOrMsids) {
        return tracksOrMsids.stream().map(t -> t instanceof InboundRtp in ? in.streamId() : t.toString().split(" ")[0])
                .distinct().sorted().toList();
    }
}
