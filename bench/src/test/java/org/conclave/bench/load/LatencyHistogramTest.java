package org.conclave.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LatencyHistogramTest {

    @ParameterizedTest(name = "{0} µs lands in a bucket whose upper bound is within 3.2%")
    @CsvSource({"0", "1", "63", "64", "65", "127", "128", "1000", "4095", "123456", "10000000", "987654321"})
    void bucketsAreTight(long micros) {
        int i = LatencyHistogram.index(micros);
        long upper = LatencyHistogram.upperBound(i);
        assertThat(upper).isGreaterThanOrEqualTo(micros);
        assertThat((double) upper).isCloseTo(micros, within(Math.max(1.0, micros * 0.032)));
        if (i > 0) assertThat(LatencyHistogram.upperBound(i - 1)).isLessThan(micros);
    }

    @Test
    void percentilesOfAUniformRun() {
        LatencyHistogram h = new LatencyHistogram();
        for (long v = 1; v <= 10_000; v++) h.record(v);
        assertThat(h.count()).isEqualTo(10_000);
        assertThat((double) h.percentile(0.5)).isCloseTo(5_000, within(5_000 * 0.032));
        assertThat((double) h.percentile(0.99)).isCloseTo(9_900, within(9_900 * 0.032));
        assertThat(h.percentile(1.0)).isEqualTo(10_000);
        assertThat(h.max()).isEqualTo(10_000);
    }

    @Test
    void mergeAddsAndClearEmpties() {
        LatencyHistogram a = new LatencyHistogram();
        LatencyHistogram b = new LatencyHistogram();
        a.record(100);
        b.record(300);
        b.record(-5); // clock oddities count as 0
        a.addAll(b);
        assertThat(a.count()).isEqualTo(3);
        assertThat(a.percentile(0.0)).isEqualTo(0);
        assertThat(a.max()).isEqualTo(300);
        a.clear();
        assertThat(a.count()).isZero();
        assertThat(a.percentile(0.5)).isZero();
    }
}
