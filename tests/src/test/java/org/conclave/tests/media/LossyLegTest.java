package org.conclave.tests.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.conclave.tests.harness.AllocatedEndpoint;
import org.conclave.tests.harness.InboundRtp;
import org.conclave.tests.harness.PeerCommand;
import org.conclave.tests.harness.PeerProcess;
import org.conclave.tests.harness.PeerStats;
import org.conclave.tests.harness.SignalServer;
import org.conclave.tests.harness.TestPaths;
import org.conclave.tests.harness.UdpShaper;
import org.junit.jupiter.api.Test;

/**
 * Two Chromium participants send each other video; one's leg gets 10 % loss and 30 ms jitter both ways (the UDP shaper
 * stands in for netem) for the middle of the call (10 s in the suite, {@code -Dlossy.seconds=20} for
 * docs/reliability.md). The call goes on through it, and once the leg is clean again both
 * directions of video are back to their frame rate within a second. Frames decoded per second before, during and after
 * are printed for docs/reliability.md.
 */
class LossyLegTest {
    static final double LOSS_PERCENT = 10;
    static final long JITTER_MS = 30;
    static final Duration BEFORE = Duration.ofSeconds(8);
    static final Duration DURING = Duration.ofSeconds(Long.getLong("lossy.seconds", 10));
    static final Duration AFTER = Duration.ofSeconds(10);
    /** Recovered: decoding again at this share of the clean frame rate. */
    static final double RECOVERED = 0.8;
    /** Frame rates are taken over windows at least this long (the pages report every 200 ms). */
    static final long RATE_WINDOW_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

    /** One page's decoded-frame count at the moment its report arrived. */
    record Sample(long atNanos, long frames) {}

    @Test
    void videoGoesOnThroughLossAndJitterAndRecoversWithinASecondAfter() throws Exception {
        try (SfuFixture f = SfuFixture.start(); UdpShaper shaper = JavaRig.shaper(f, 0, 16)) {
            f.signal.routeThrough("lossy-2", shaper.address());
            try (PeerProcess chromium = PeerProcess.start("chromium", PeerCommand.chromium(2)
                    .signal(f.signal).conference("lossy").participant("lossy")
                    .durationMs(BEFORE.plus(DURING).plus(AFTER).plusSeconds(40).toMillis()).video()
                    .arg("--query", "statsIntervalMs=200").command(), TestPaths.jsDir())) {
                String clean = endpoint(f.signal, "lossy-1");
                String lossy = endpoint(f.signal, "lossy-2");
                for (String id : List.of(clean, lossy)) {
                    assertThat(ChromiumLive.awaitVideo(f.signal, id, v -> v.framesDecoded() > 60,
                            Duration.ofSeconds(40))).as("decoding at %s", id).isPresent();
                }
                Recorder atClean = new Recorder(f.signal, clean);
                Recorder atLossy = new Recorder(f.signal, lossy);
                long start = System.nanoTime();
                pause(start + BEFORE.toNanos());
                long lossOn = System.nanoTime();
                shaper.up().lossPercent(LOSS_PERCENT).jitterMs(JITTER_MS);
                shaper.down().lossPercent(LOSS_PERCENT).jitterMs(JITTER_MS);
                pause(lossOn + DURING.toNanos());
                shaper.up().lossPercent(0).jitterMs(0);
                shaper.down().lossPercent(0).jitterMs(0);
                long lossOff = System.nanoTime();
                pause(lossOff + AFTER.toNanos());
                atClean.stop();
                atLossy.stop();

                for (Recorder r : List.of(atLossy, atClean)) {
                    String what = r == atLossy ? "the lossy participant's downlink (it decodes the other's video)"
                            : "the lossy participant's uplink (the other decodes its video)";
                    double before = r.fps(start, lossOn);
                    double during = r.fps(lossOn, lossOff);
                    double worst = r.worstFps(lossOn, lossOff);
                    double after = r.fps(lossOff + TimeUnit.SECONDS.toNanos(2), lossOff + AFTER.toNanos());
                    long recovery = r.recoveryMillis(lossOff, RECOVERED * before);
                    System.out.printf(Locale.ROOT, "Lossy leg (%.0f %% loss, %d ms jitter, %d s), %s: frames decoded"
                            + " per second before %.1f, during %.1f (worst 1 s: %.1f), after %.1f; back to %.0f %% of"
                            + " the clean rate %d ms after the loss ended; %s%n", LOSS_PERCENT, JITTER_MS,
                            DURING.toSeconds(), what, before, during, worst, after, RECOVERED * 100, recovery, shaper);
                    assertThat(before).as("clean frame rate: %s", what).isGreaterThan(10);
                    assertThat(during).as("the call goes on: %s", what).isGreaterThan(1);
                    assertThat(recovery).as("recovery after the loss ended (ms): %s", what).isLessThanOrEqualTo(1000);
                    assertThat(after).as("frame rate after: %s", what).isGreaterThanOrEqualTo(RECOVERED * before);
                }
                assertThat(shaper.up().lost() + shaper.down().lost()).as("the shaper dropped packets").isPositive();
                assertThat(f.sfu.packetStats().internalErrors()).isZero();
            }
        }
    }

    private static String endpoint(SignalServer signal, String participant) throws InterruptedException {
        Optional<AllocatedEndpoint> e = signal.awaitEndpoint(participant, Duration.ofSeconds(40));
        assertThat(e).as("%s joined", participant).isPresent();
        return e.get().endpointId();
    }

    /** The test's own phases: nothing to wait for but time. */
    private static void pause(long untilNanos) {
        for (long left; (left = untilNanos - System.nanoTime()) > 0; ) LockSupport.parkNanos(left);
    }

    /** Records every report one page posts (its first decoding video's frame count) with the time it arrived. */
    static final class Recorder {
        private final List<Sample> samples = new ArrayList<>();
        private final Thread thread;
        private volatile boolean running = true;

        Recorder(SignalServer signal, String endpointId) {
            thread = new Thread(() -> {
                PeerStats last = null;
                while (running) {
                    PeerStats seen = last;
                    try {
                        Optional<PeerStats> s = signal.awaitLiveStats(endpointId, x -> x != seen,
                                Duration.ofSeconds(1));
                        if (s.isEmpty() || s.get() == seen) continue;
                        last = s.get();
                        long frames = ChromiumLive.video(last).map(InboundRtp::framesDecoded).orElse(0L);
                        synchronized (samples) {
                            samples.add(new Sample(System.nanoTime(), frames));
                        }
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "stats-" + endpointId);
            thread.setDaemon(true);
            thread.start();
        }

        void stop() throws InterruptedException {
            running = false;
            thread.interrupt();
            thread.join(2000);
        }

        private List<Sample> between(long from, long to) {
            synchronized (samples) {
                return samples.stream().filter(s -> s.atNanos() >= from && s.atNanos() <= to).toList();
            }
        }

        /** Frames decoded per second between the first and last reports in [from, to]. */
        double fps(long from, long to) {
            List<Sample> s = between(from, to);
            if (s.size() < 2) return 0;
            Sample a = s.get(0);
            Sample b = s.get(s.size() - 1);
            return (b.frames() - a.frames()) * 1e9 / Math.max(1, b.atNanos() - a.atNanos());
        }

        /** The lowest frame rate over any 1 s of [from, to]. */
        double worstFps(long from, long to) {
            double worst = Double.MAX_VALUE;
            for (Sample a : between(from, to - TimeUnit.SECONDS.toNanos(1))) {
                worst = Math.min(worst, fps(a.atNanos(), a.atNanos() + TimeUnit.SECONDS.toNanos(1)));
            }
            return worst == Double.MAX_VALUE ? 0 : worst;
        }

        /**
         * How long after {@code from} the frame rate over a window of {@link #RATE_WINDOW_NANOS} starting there first
         * reached {@code fps} (0 when it never dropped); Long.MAX_VALUE when it never did.
         */
        long recoveryMillis(long from, double fps) {
            for (Sample a : between(from, Long.MAX_VALUE)) {
                List<Sample> window = between(a.atNanos(), a.atNanos() + RATE_WINDOW_NANOS * 2);
                Sample b = window.stream().filter(s -> s.atNanos() - a.atNanos() >= RATE_WINDOW_NANOS).findFirst()
                        .orElse(null);
                if (b == null) break;
                double rate = (b.frames() - a.frames()) * 1e9 / (b.atNanos() - a.atNanos());
                if (rate >= fps) return TimeUnit.NANOSECONDS.toMillis(a.atNanos() - from);
            }
            return Long.MAX_VALUE;
        }
    }
}
