package org.conclave.tests.harness;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/** Latency samples in milliseconds, for the figures the reliability tests print and bound. Thread-safe. */
public final class Latencies {
    private final List<Double> millis = new ArrayList<>();

    public synchronized void addNanos(long nanos) {
        millis.add(nanos / 1e6);
    }

    public synchronized int count() {
        return millis.size();
    }

    public synchronized double percentile(double p) {
        if (millis.isEmpty()) return Double.NaN;
        List<Double> sorted = new ArrayList<>(millis);
        Collections.sort(sorted);
        int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
    }

    public double max() {
        return percentile(100);
    }

    /** "p50 12.3 / p95 40.1 / max 52.0 ms (n=20)". */
    @Override
    public String toString() {
        return String.format(Locale.ROOT, "p50 %.1f / p95 %.1f / max %.1f ms (n=%d)", percentile(50), percentile(95),
                max(), count());
    }
}
