package org.conclave.tests.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.conclave.sfu.control.VideoQuality;
import org.conclave.tests.harness.AllocatedEndpoint;
import org.conclave.tests.harness.InboundRtp;
import org.conclave.tests.harness.PeerCommand;
import org.conclave.tests.harness.PeerProcess;
import org.conclave.tests.harness.TestPaths;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue #5 point 3: a Chromium simulcast sender (rids l/m/h at 1/4, 1/2, 1/1 of 640x360) and a Chromium receiver:
 * thumbnail by default (small frameWidth), full-res on request (frameWidth grows), thumbnail again (shrinks).
 */
class SimulcastSwitchTest {
    static final Duration SWITCH = Duration.ofSeconds(20);

    /** Also end-to-end encrypted: the SFU finds key frames in the readable prefix of SFrame-encrypted VP8. */
    @ParameterizedTest(name = "encrypted={0}")
    @ValueSource(booleans = {false, true})
    void receiverSwitchesBetweenLayersOnRequest(boolean encrypted) throws Exception {
        String query = "statsIntervalMs=500" + (encrypted ? "&e2ee=encrypt&requireE2ee=1" : "");
        try (SfuFixture f = SfuFixture.start();
                PeerProcess chromium = PeerProcess.start("chromium", PeerCommand.chromium(2)
                        .signal(f.signal).conference("switch").participant("chrome")
                        .durationMs(60_000).video().arg("--simulcast", "--query", query, "--context-per-page",
                                "--page-query", "2:video=0&audio=0&simulcast=0").command(), TestPaths.jsDir())) {
            AllocatedEndpoint viewer = f.signal.awaitEndpoint("chrome-2", Duration.ofSeconds(30)).orElseThrow();
            Optional<InboundRtp> first = ChromiumLive.awaitVideo(f.signal, viewer.endpointId(),
                    v -> v.framesDecoded() > 30 && v.frameWidth() > 0, Duration.ofSeconds(30));
            assertThat(first).as("viewer decodes: %s", ChromiumLive.describe(f.signal, viewer.endpointId())).isPresent();
            int thumbWidth = first.get().frameWidth();
            InboundRtp track = first.get();

            long asked = System.nanoTime();
            f.sfu.control().setVideoQuality(viewer.endpointId(), track.streamId(), track.trackIdentifier(),
                    VideoQuality.FULL_RES).toCompletableFuture().get(5, TimeUnit.SECONDS);
            Optional<InboundRtp> full = ChromiumLive.awaitVideo(f.signal, viewer.endpointId(),
                    v -> v.frameWidth() >= 2 * thumbWidth, SWITCH);
            long upMs = (System.nanoTime() - asked) / 1_000_000;
            System.out.printf("SimulcastSwitchTest (encrypted=" + encrypted + "): thumbnail width %d; full-res width %s"
                    + " after %d ms%n", thumbWidth,
                    full.map(InboundRtp::frameWidth).orElse(-1), upMs);
            assertThat(full).as("frameWidth grows from %d: %s", thumbWidth,
                    ChromiumLive.describe(f.signal, viewer.endpointId())).isPresent();
            int fullWidth = full.get().frameWidth();

            asked = System.nanoTime();
            f.sfu.control().setVideoQuality(viewer.endpointId(), track.streamId(), track.trackIdentifier(),
                    VideoQuality.THUMBNAIL).toCompletableFuture().get(5, TimeUnit.SECONDS);
            Optional<InboundRtp> back = ChromiumLive.awaitVideo(f.signal, viewer.endpointId(),
                    v -> v.frameWidth() * 2 <= fullWidth, SWITCH);
            long downMs = (System.nanoTime() - asked) / 1_000_000;
            System.out.printf("SimulcastSwitchTest (encrypted=" + encrypted + "): back to thumbnail width %s after %d ms; freezes %s%n",
                    back.map(InboundRtp::frameWidth).orElse(-1), downMs,
                    back.map(InboundRtp::freezeCount).orElse(-1L));
            assertThat(back).as("frameWidth shrinks from %d: %s", fullWidth,
                    ChromiumLive.describe(f.signal, viewer.endpointId())).isPresent();
            assertThat(f.sfu.packetStats().internalErrors()).isZero();
        }
    }
}
