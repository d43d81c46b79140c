package org.conclave.sfu.bwe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.conclave.sfu.clock.FakeClock;
import org.junit.jupiter.api.Test;

class ProberTest {
    private final FakeClock clock = new FakeClock();
    private final Prober prober = new Prober(5_000, 500);

    @Test
    void probesOnlyWhenWantedThenEveryInterval() {
        assertThat(prober.active(false, clock.nanoTime())).isFalse();
        assertThat(prober.active(true, clock.nanoTime())).isTrue();
        clock.advanceMillis(499);
        assertThat(prober.active(true, clock.nanoTime())).isTrue();
        clock.advanceMillis(1);
        assertThat(prober.active(true, clock.nanoTime())).as("ends after its duration").isFalse();
        clock.advanceMillis(4_499);
        assertThat(prober.active(true, clock.nanoTime())).isFalse();
        clock.advanceMillis(1);
        assertThat(prober.resultDue(clock.nanoTime())).isTrue();
        assertThat(prober.active(true, clock.nanoTime())).as("next one after the interval").isTrue();
        assertThat(prober.probes()).isEqualTo(2);
    }

    @Test
    void resultIsDueOnceAfterTheFeedbackDelay() {
        prober.active(true, clock.nanoTime());
        clock.advanceMillis(500);
        prober.active(true, clock.nanoTime());
        assertThat(prober.resultDue(clock.nanoTime())).isFalse();
        clock.advanceMillis(250);
        assertThat(prober.resultDue(clock.nanoTime())).isTrue();
        assertThat(prober.resultDue(clock.nanoTime())).isFalse();
    }

    @Test
    void pacesTheGapBetweenMediaAndTarget() {
        prober.active(true, clock.nanoTime());
        long total = 0;
        for (int i = 0; i < 25; i++) { // 500 ms in 20 ms ticks
            clock.advanceMillis(20);
            total += prober.bytesToSend(450_000, 150_000, clock.nanoTime());
        }
        // (450 - 150) kbit/s for 0.5 s = 18,750 bytes
        assertThat(total).isBetween(18_700L, 18_750L);
    }

    @Test
    void sendsNothingWhenMediaAlreadyReachesTheTargetOrNoProbeRuns() {
        clock.advanceMillis(20);
        assertThat(prober.bytesToSend(450_000, 0, clock.nanoTime())).as("not running").isZero();
        prober.active(true, clock.nanoTime());
        clock.advanceMillis(20);
        assertThat(prober.bytesToSend(450_000, 500_000, clock.nanoTime())).isZero();
    }

    @Test
    void rejectsADurationNotShorterThanTheInterval() {
        assertThatThrownBy(() -> new Prober(500, 500)).isInstanceOf(IllegalArgumentException.class);
    }
}
