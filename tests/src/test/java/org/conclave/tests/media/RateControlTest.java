package org.conclave.tests.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.conclave.sfu.control.VideoQuality;
import org.conclave.tests.client.JavaPeer;
import org.conclave.tests.harness.UdpShaper;
import org.junit.jupiter.api.Test;

/**
 * Issue #5 point 1: three full-res viewers behind shaped downlinks; the sender's REMB/TMMBR settles within 20 % of
 * the slowest viewer's rate within seconds, and follows when that viewer's link changes.
 */
class RateControlTest {
    static final long[] DOWNLINKS = {700_000, 1_200_000, 3_000_000};
    static final long RAISED = 1_500_000;
    static final double TOLERANCE = 0.20;
    /** The band must hold this long to count as converged. */
    static final Duration HOLD = Duration.ofSeconds(2);
    static final Duration CONVERGE = Duration.ofSeconds(15);
    static final Duration FOLLOW = Duration.ofSeconds(25);

    @Test
    void senderRateFollowsTheSlowestFullResViewer() throws Exception {
        List<AutoCloseable> closing = new ArrayList<>();
        try (SfuFixture f = SfuFixture.start()) {
            JavaPeer senderPeer = JavaRig.startSimulcastSender(f.sfu.control(), "rate", 150_000, 1_800_000, false,
                    closing);
            List<JavaRig.Member> viewers = new ArrayList<>();
            for (int i = 0; i < DOWNLINKS.length; i++) {
                UdpShaper shaper = JavaRig.shaper(f, DOWNLINKS[i], 100 + i);
                closing.add(shaper);
                JavaPeer p = new JavaPeer();
                p.keepPackets = false;
                closing.add(p);
                viewers.add(JavaRig.join(f.sfu.control(), "rate", "viewer-" + i, p, shaper));
            }
            assertThat(JavaRig.await(() -> viewers.stream().allMatch(v -> v.videoTrack() != null
                    && JavaRig.videoBytes(v) > 0), Duration.ofSeconds(15)))
                    .as("every viewer receives the sender's video").isTrue();
            long asked = System.nanoTime();
            for (JavaRig.Member v : viewers) JavaRig.setQuality(f.sfu.control(), v, VideoQuality.FULL_RES);

            long settledMs = settle(senderPeer, DOWNLINKS[0], asked, CONVERGE);
            System.out.printf("RateControlTest: REMB within 20%% of %d bit/s after %d ms; requests %s; viewers %s%n",
                    DOWNLINKS[0], settledMs, describe(senderPeer, asked), describeViewers(viewers));
            assertThat(settledMs).as("rate requests %s; viewers %s", describe(senderPeer, asked),
                    describeViewers(viewers)).isGreaterThanOrEqualTo(0);

            long raised = System.nanoTime();
            viewers.get(0).shaper.down().rateBps(RAISED);
            long followedMs = settle(senderPeer, DOWNLINKS[1], raised, FOLLOW);
            System.out.printf("RateControlTest: after %d -> %d bit/s, REMB within 20%% of %d after %d ms; requests %s;"
                    + " viewers %s%n", DOWNLINKS[0], RAISED, DOWNLINKS[1], followedMs, describe(senderPeer, raised),
                    describeViewers(viewers));
            assertThat(followedMs).as("rate requests %s; viewers %s", describe(senderPeer, raised),
                    describeViewers(viewers)).isGreaterThanOrEqualTo(0);
            assertThat(f.sfu.packetStats().internalErrors()).isZero();
        } finally {
            for (AutoCloseable c : closing) c.close();
        }
    }

    /**
     * Milliseconds from {@code since} until the rate requests entered the band around {@code target} and then stayed
     * in it for {@link #HOLD}; -1 if that did not happen within {@code timeout}.
     */
    static long settle(JavaPeer sender, long target, long since, Duration timeout) throws InterruptedException {
        long low = (long) (target * (1 - TOLERANCE));
        long high = (long) (target * (1 + TOLERANCE));
        long deadline = since + timeout.toNanos();
        long[] entered = {-1};
        boolean ok = JavaRig.await(() -> {
            List<JavaPeer.RateRequest> r = sender.rateRequests().stream().filter(q -> q.atNanos() >= since).toList();
            if (r.isEmpty()) return false;
            // Walk back from the newest while in band: that is when the band was entered for good.
            long start = -1;
            for (int i = r.size() - 1; i >= 0 && r.get(i).bitrateBps() >= low && r.get(i).bitrateBps() <= high; i--) {
                start = r.get(i).atNanos();
            }
            if (start < 0) return false;
            entered[0] = start;
            return System.nanoTime() - start >= HOLD.toNanos();
        }, Duration.ofNanos(Math.max(0, deadline - System.nanoTime()) + HOLD.toNanos()));
        return ok ? TimeUnit.NANOSECONDS.toMillis(entered[0] - since) : -1;
    }

    static String describe(JavaPeer sender, long since) {
        StringBuilder out = new StringBuilder();
        for (JavaPeer.RateRequest r : sender.rateRequests()) {
            if (r.atNanos() < since) continue;
            out.append(String.format("%s %d@%dms ", r.kind(), r.bitrateBps() / 1000,
                    TimeUnit.NANOSECONDS.toMillis(r.atNanos() - since)));
        }
        String s = out.toString();
        return s.length() > 1500 ? "..." + s.substring(s.length() - 1500) : s;
    }

    static String describeViewers(List<JavaRig.Member> viewers) {
        StringBuilder out = new StringBuilder();
        for (JavaRig.Member v : viewers) {
            out.append(v.name).append(" [").append(v.shaper).append(" streams ").append(v.peer.ledger.streams())
                    .append(" tcc-feedbacks ").append(v.peer.ledger.transportFeedbacks())
                    .append(" layer-changes ").append(v.layerChanges).append("] ");
        }
        return out.toString();
    }
}
