package org.conclave.tests.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;
import org.conclave.tests.harness.AllocatedEndpoint;
import org.conclave.tests.harness.InboundRtp;
import org.conclave.tests.harness.PeerCommand;
import org.conclave.tests.harness.PeerProcess;
import org.conclave.tests.harness.TestPaths;
import org.conclave.tests.harness.UdpShaper;
import org.junit.jupiter.api.Test;

/**
 * Issue #5 point 5: a Chromium receiver behind 5 % random loss on the SFU-to-client direction keeps decoding: it
 * NACKs, the SFU retransmits from its packet cache (RTX when negotiated), frames keep flowing with few freezes.
 */
class NackRepairTest {
    static final double LOSS_PERCENT = 5;
    /** Measured over this window once decoding runs. */
    static final Duration WINDOW = Duration.ofSeconds(10);
    /** The fake camera sends 30 fps; under 5 % loss with repair the receiver must keep most of them. */
    static final double MIN_FPS = 15;
    static final long MAX_FREEZES = 3;

    @Test
    void lossyDownlinkIsRepairedByRetransmission() throws Exception {
        try (SfuFixture f = SfuFixture.start(); UdpShaper shaper = JavaRig.shaper(f, 0, 5)) {
            shaper.down().lossPercent(LOSS_PERCENT);
            f.signal.routeThrough("chrome-2", shaper.address());
            try (PeerProcess chromium = PeerProcess.start("chromium", PeerCommand.chromium(2)
                    .signal(f.signal).conference("nack").participant("chrome")
                    .durationMs(45_000).video().arg("--query", "statsIntervalMs=500",
                            "--page-query", "2:video=0&audio=0").command(), TestPaths.jsDir())) {
                Window w = measure(f, "chrome-2", Duration.ofSeconds(30), shaper);
                InboundRtp v = w.end();
                double fps = w.fps();
                double seconds = w.seconds();
                long freezes = w.freezes();
                System.out.printf("NackRepairTest: %.1f fps decoded over %.1f s, %d freezes (%.2f s total), "
                        + "nackCount %d, pliCount %d, retransmitted received %d, packetsLost %d; %s%n", fps, seconds,
                        freezes, v.totalFreezesDuration(), v.nackCount(), v.pliCount(),
                        v.retransmittedPacketsReceived(), v.packetsLost(), shaper);
                assertThat(shaper.down().lost()).as("the shaper dropped packets").isPositive();
                assertThat(v.nackCount()).as("receiver NACKed").isPositive();
                assertThat(v.retransmittedPacketsReceived()).as("the SFU answered NACKs: %s", v).isPositive();
                assertThat(fps).as("decoded frame rate: %s", v).isGreaterThanOrEqualTo(MIN_FPS);
                assertThat(freezes).as("freezes: %s", v).isLessThanOrEqualTo(MAX_FREEZES);
                assertThat(f.sfu.packetStats().internalErrors()).isZero();
            }
        }
    }

    /**
     * The other direction: 5 % loss between the sender and the SFU. The SFU NACKs the sender, unwraps its RTX and
     * forwards the repaired packets. In an end-to-end-encrypted conference they carry SFrame counters already seen:
     * they must pass the E2EE check as retransmissions, not be dropped as replays.
     */
    @org.junit.jupiter.params.ParameterizedTest(name = "encrypted={0}")
    @org.junit.jupiter.params.provider.ValueSource(booleans = {false, true})
    void upstreamLossIsRepaired(boolean encrypted) throws Exception {
        try (SfuFixture f = SfuFixture.start(); UdpShaper shaper = JavaRig.shaper(f, 0, 6)) {
            shaper.up().lossPercent(LOSS_PERCENT);
            f.signal.routeThrough("enc-1", shaper.address());
            try (PeerProcess chromium = PeerProcess.start("chromium", PeerCommand.chromium(2)
                    .signal(f.signal).conference("nack-e2ee").participant("enc")
                    .durationMs(45_000).video().arg("--query", "statsIntervalMs=500"
                            + (encrypted ? "&e2ee=encrypt&requireE2ee=1" : ""))
                    .arg("--context-per-page").arg("--page-query", "2:video=0&audio=0").command(), TestPaths.jsDir())) {
                Window w = measure(f, "enc-2", Duration.ofSeconds(40), shaper);
                InboundRtp v = w.end();
                double fps = w.fps();
                double seconds = w.seconds();
                long freezes = w.freezes();
                var stats = f.sfu.packetStats();
                System.out.printf("NackRepairTest (upstream loss, encrypted=" + encrypted + "): %.1f fps decoded over "
                        + "%.1f s, %d freezes, SFU NACKs to the sender %d, RTX restored %d, E2EE drops %d, viewer pliCount %d; %s%n", fps,
                        seconds, freezes, stats.upstreamNacks(), stats.rtxReceived(), stats.e2eeDrops(), v.pliCount(),
                        shaper);
                assertThat(shaper.up().lost()).as("the shaper dropped packets").isPositive();
                assertThat(stats.upstreamNacks()).as("the SFU NACKed the sender").isPositive();
                assertThat(stats.rtxReceived()).as("the sender's RTX reached the SFU").isPositive();
                if (encrypted) {
                    String sender = f.signal.awaitEndpoint("enc-1", Duration.ZERO).orElseThrow().endpointId();
                    var e2ee = f.sfu.e2eeStats().toCompletableFuture().get(30, java.util.concurrent.TimeUnit.SECONDS)
                            .stream().filter(s -> s.endpointId().equals(sender)).findFirst().orElseThrow();
                    System.out.println("NackRepairTest: the sender's E2EE counters " + e2ee);
                    // Its first frames are held back (probation); after that, retransmissions must pass.
                    assertThat(e2ee.framesRefusedWhileForwarding()).as("encrypted frames refused: %s", e2ee).isZero();
                    assertThat(e2ee.holds()).isZero();
                }
                assertThat(fps).as("decoded frame rate: %s", v).isGreaterThanOrEqualTo(MIN_FPS);
                assertThat(freezes).as("freezes: %s", v).isLessThanOrEqualTo(MAX_FREEZES);
            }
        }
    }

    /** What one viewer decoded over {@link #WINDOW}, once it decodes at all. */
    record Window(InboundRtp end, double seconds, double fps, long freezes) {}

    private static Window measure(SfuFixture f, String viewerName, Duration startTimeout, UdpShaper shaper)
            throws Exception {
        AllocatedEndpoint viewer = f.signal.awaitEndpoint(viewerName, Duration.ofSeconds(30)).orElseThrow();
        Optional<InboundRtp> start = ChromiumLive.awaitVideo(f.signal, viewer.endpointId(),
                v -> v.framesDecoded() > 30, startTimeout);
        assertThat(start).as("viewer decodes through the lossy leg: %s; %s",
                ChromiumLive.describe(f.signal, viewer.endpointId()), shaper).isPresent();
        long t0 = System.nanoTime();
        long until = t0 + WINDOW.toNanos();
        Optional<InboundRtp> end = f.signal.awaitLiveStats(viewer.endpointId(),
                s -> System.nanoTime() >= until, WINDOW.plusSeconds(5)).flatMap(ChromiumLive::video);
        assertThat(end).isPresent();
        double seconds = (System.nanoTime() - t0) / 1e9;
        InboundRtp v = end.get();
        return new Window(v, seconds, (v.framesDecoded() - start.get().framesDecoded()) / seconds,
                v.freezeCount() - start.get().freezeCount());
    }
}
