package org.conclave.sfu.bwe;

import org.conclave.sfu.control.VideoQuality;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.conclave.sfu.clock.FakeClock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Three viewers of one full-res stream at 2 Mbit/s, 800 kbit/s and 150 kbit/s; floor 250 kbit/s. */
class SenderClampTest {
    private final FakeClock clock = new FakeClock();
    private final List<LayerDecision<String>> decisions = new ArrayList<>();
    private SenderClamp<String> clamp;

    @BeforeEach
    void threeViewers() {
        clamp = new SenderClamp<>(ClampOptions.DEFAULTS);
        for (String v : List.of("fast", "medium", "slow")) {
            clamp.addViewer(v);
        }
        clamp.setEstimate("fast", 2_000_000);
        clamp.setEstimate("medium", 800_000);
        clamp.setEstimate("slow", 150_000);
    }

    @Test
    void requestsTheSlowestViewerAboveTheFloorAndDemotesTheOneBelow() {
        assertThat(evaluate()).isEqualTo(800_000);
        assertThat(decisions).isEmpty();
        // Below the floor for 2 s: moved to the thumbnail, reported once.
        runFor(1_900);
        assertThat(decisions).isEmpty();
        assertThat(clamp.isDemoted("slow")).isFalse();
        runFor(200);
        assertThat(decisions).containsExactly(new LayerDecision<>("slow", VideoQuality.THUMBNAIL));
        assertThat(clamp.isDemoted("slow")).isTrue();
        assertThat(clamp.requestedBitrateBps()).isEqualTo(800_000);
    }

    @Test
    void aRecoveredViewerReturnsAfterTheHysteresis() {
        runFor(2_100);
        decisions.clear();
        clamp.setEstimate("slow", 900_000);
        runFor(2_900);
        assertThat(decisions).isEmpty();
        assertThat(clamp.requestedBitrateBps()).isEqualTo(800_000);
        runFor(200);
        assertThat(decisions).containsExactly(new LayerDecision<>("slow", VideoQuality.FULL_RES));
        assertThat(clamp.isDemoted("slow")).isFalse();
        clamp.setEstimate("medium", 1_500_000);
        assertThat(evaluate()).isEqualTo(900_000);
    }

    @Test
    void recoveryMustClearTheFloorByTheFactorAndLastWithoutInterruption() {
        runFor(2_100);
        decisions.clear();
        clamp.setEstimate("slow", 290_000); // above the floor, below floor x 1.2
        runFor(5_000);
        assertThat(decisions).isEmpty();
        clamp.setEstimate("slow", 400_000);
        runFor(2_000);
        clamp.setEstimate("slow", 200_000); // dips: the 3 s start over
        runFor(100);
        clamp.setEstimate("slow", 400_000);
        runFor(2_900);
        assertThat(decisions).isEmpty();
        runFor(200);
        assertThat(decisions).hasSize(1);
    }

    @Test
    void aShortDipDoesNotDemote() {
        clamp.setEstimate("medium", 200_000);
        runFor(1_500);
        clamp.setEstimate("medium", 800_000);
        runFor(100);
        clamp.setEstimate("medium", 200_000);
        runFor(1_500);
        assertThat(clamp.isDemoted("medium")).isFalse();
        assertThat(decisions.stream().filter(d -> d.viewer().equals("medium"))).isEmpty();
    }

    @Test
    void sendsOnlyOnSignificantChangeOrRefresh() {
        assertThat(evaluate()).isEqualTo(800_000);
        clock.advanceMillis(100);
        clamp.setEstimate("medium", 830_000); // +3.75 %: not worth a message
        assertThat(evaluate()).isEqualTo(-1);
        assertThat(clamp.requestedBitrateBps()).isEqualTo(830_000);
        clock.advanceMillis(100);
        clamp.setEstimate("medium", 760_000); // -5 % exactly: still not more than 5 %
        assertThat(evaluate()).isEqualTo(-1);
        clock.advanceMillis(100);
        clamp.setEstimate("medium", 700_000);
        assertThat(evaluate()).isEqualTo(700_000);
        clock.advanceMillis(999);
        assertThat(evaluate()).isEqualTo(-1);
        clock.advanceMillis(1);
        assertThat(evaluate()).isEqualTo(700_000);
    }

    @Test
    void estimatesMovingAreFollowed() {
        long[] mediumOverTime = {800_000, 600_000, 400_000, 700_000, 1_200_000};
        long[] expected = {800_000, 600_000, 400_000, 700_000, 1_200_000};
        clamp.setEstimate("fast", 3_000_000);
        for (int i = 0; i < mediumOverTime.length; i++) {
            clamp.setEstimate("medium", mediumOverTime[i]);
            clock.advanceMillis(100);
            assertThat(evaluate()).isEqualTo(expected[i]);
        }
    }

    @Test
    void withNoLimitingViewerAsksForTheMaximumAndRespectsTheBounds() {
        clamp.removeViewer("fast");
        clamp.removeViewer("medium");
        assertThat(clamp.viewerCount()).isEqualTo(1);
        // Only "slow" is left and it is below the floor: nobody limits the sender.
        assertThat(evaluate()).isEqualTo(ClampOptions.DEFAULT_MAX_REQUEST_BPS);
        clamp.addViewer("huge");
        clamp.setEstimate("huge", 50_000_000);
        clock.advanceMillis(1_000);
        assertThat(evaluate()).isEqualTo(ClampOptions.DEFAULT_MAX_REQUEST_BPS);
        SenderClamp<String> low = new SenderClamp<>(new ClampOptions(0, 1.2, 2_000, 3_000, 0.05, 1_000,
                100_000, 2_500_000));
        low.addViewer("a");
        low.setEstimate("a", 40_000);
        assertThat(low.evaluate(clock.nanoTime(), decisions)).isEqualTo(100_000);
    }

    @Test
    void unknownEstimatesNeitherLimitNorDemote() {
        clamp.setEstimate("slow", -1);
        clamp.setEstimate("medium", -1);
        runFor(5_000);
        assertThat(decisions).isEmpty();
        assertThat(clamp.requestedBitrateBps()).isEqualTo(2_000_000);
    }

    @Test
    void viewersAreComparedByIdentityAndNotAddedTwice() {
        String a = new String("x");
        String b = new String("x");
        SenderClamp<String> c = new SenderClamp<>(ClampOptions.DEFAULTS);
        c.addViewer(a);
        c.addViewer(a);
        c.addViewer(b);
        assertThat(c.viewerCount()).isEqualTo(2);
        c.setEstimate(a, 300_000);
        c.setEstimate(b, 600_000);
        assertThat(c.evaluate(0, decisions)).isEqualTo(300_000);
        c.removeViewer(a);
        assertThat(c.evaluate(1_000_000_000L, decisions)).isEqualTo(600_000);
    }

    private long evaluate() {
        return clamp.evaluate(clock.nanoTime(), decisions);
    }

    /** Evaluates every 100 ms like the packet thread's housekeeping would. */
    private void runFor(long millis) {
        for (long t = 0; t < millis; t += 100) {
            clock.advanceMillis(100);
            evaluate();
        }
    }
}
