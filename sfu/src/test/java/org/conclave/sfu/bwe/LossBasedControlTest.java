package org.conclave.sfu.bwe;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LossBasedControlTest {
    private static final long SECOND = 1_000_000_000L;

    @ParameterizedTest(name = "{0} lost of {1} -> {2}")
    @CsvSource({
            "0, 100, 1080000",
            "1, 100, 1080000",
            "2, 100, 1000000",
            "10, 100, 1000000",
            "11, 100, 945000",
            "50, 100, 750000",
            "100, 100, 500000",
    })
    void reactsToTheLossFractionAfterOneSecond(int lost, int expected, long bps) {
        LossBasedControl control = new LossBasedControl(1_000_000, 10_000, 10_000_000);
        control.onReport(0, 20, 1_000_000, 0);
        control.onReport(lost, expected, 1_000_000, SECOND);
        // Increases add 1 kbit/s per second as well.
        long extra = bps > 1_000_000 ? 1_000 : 0;
        assertThat(control.estimateBps()).isEqualTo(bps + extra);
        assertThat(control.lossFraction()).isEqualTo((double) lost / expected);
    }

    @Test
    void waitsForTwentyPackets() {
        LossBasedControl control = new LossBasedControl(1_000_000, 10_000, 10_000_000);
        control.onReport(10, 10, 1_000_000, 0);
        assertThat(control.estimateBps()).isEqualTo(1_000_000);
        control.onReport(5, 10, 1_000_000, 0);
        assertThat(control.estimateBps()).isEqualTo(625_000);
    }

    @Test
    void cutsAtMostEveryDecreaseInterval() {
        LossBasedControl control = new LossBasedControl(1_000_000, 10_000, 10_000_000);
        control.onReport(20, 20, 1_000_000, 0);
        assertThat(control.estimateBps()).isEqualTo(500_000);
        control.onReport(20, 20, 500_000, LossBasedControl.DECREASE_INTERVAL_NS - 1);
        assertThat(control.estimateBps()).isEqualTo(500_000);
        control.onReport(20, 20, 500_000, LossBasedControl.DECREASE_INTERVAL_NS);
        assertThat(control.estimateBps()).isEqualTo(250_000);
    }

    @Test
    void cutsFromTheEstimateInUseWhenThatIsLower() {
        LossBasedControl control = new LossBasedControl(5_000_000, 10_000, 10_000_000);
        control.onReport(40, 100, 1_000_000, 0);
        assertThat(control.estimateBps()).isEqualTo(800_000);
    }
}
