package org.conclave.sfu.bwe;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Groups 10 ms apart whose arrival spacing grows, stays or shrinks: the detector's verdict after 100 groups. */
class TrendlineEstimatorTest {
    @ParameterizedTest(name = "arrival delta {0} ms for send delta 10 ms -> {1}")
    @CsvSource({
            "10.0, NORMAL",
            "10.2, NORMAL",
            "11.0, OVERUSING",
            "13.0, OVERUSING",
            "9.0, UNDERUSING",
    })
    void verdictForASteadyDelayTrend(double arrivalDeltaMs, BandwidthUsage expected) {
        TrendlineEstimator trendline = new TrendlineEstimator();
        BandwidthUsage sawOveruse = BandwidthUsage.NORMAL;
        double arrival = 0;
        for (int i = 0; i < 100; i++) {
            arrival += arrivalDeltaMs;
            trendline.update(arrivalDeltaMs, 10, (long) arrival);
            if (trendline.state() == BandwidthUsage.OVERUSING) {
                sawOveruse = BandwidthUsage.OVERUSING;
            }
        }
        // Over-use is signalled on the sample that crosses, then the timer restarts: look at any sample.
        BandwidthUsage verdict = expected == BandwidthUsage.OVERUSING ? sawOveruse : trendline.state();
        assertThat(verdict).isEqualTo(expected);
    }

    @ParameterizedTest(name = "jitter of +-{0} ms -> threshold between {1} and {2}")
    @CsvSource({"0.0, 6.0, 6.0", "3.0, 6.0, 600.0", "40.0, 6.0, 600.0"})
    void thresholdAdaptsWithinItsBounds(double jitterMs, double low, double high) {
        TrendlineEstimator trendline = new TrendlineEstimator();
        double arrival = 0;
        for (int i = 0; i < 2000; i++) {
            double delta = 10 + (i % 2 == 0 ? jitterMs : -jitterMs);
            arrival += delta;
            trendline.update(delta, 10, (long) arrival);
        }
        assertThat(trendline.threshold()).isBetween(low, high);
        assertThat(trendline.state()).isNotEqualTo(BandwidthUsage.OVERUSING);
    }
}
