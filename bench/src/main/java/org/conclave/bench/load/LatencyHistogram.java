package org.conclave.bench.load;

/**
 * Microsecond latencies in log-linear buckets (32 per power of two, so a percentile is within ~3%), recorded without
 * allocating. Single writer; {@link #addAll} merges copies after the writer handed them over.
 */
public final class LatencyHistogram {
    static final int SUB_BITS = 5;
    static final int SUB = 1 << SUB_BITS;
    /** Enough buckets for 2^40 µs; anything larger lands in the last one. */
    static final int BUCKETS = 2 * SUB + (40 - SUB_BITS - 1) * SUB;

    private final long[] counts = new long[BUCKETS];
    private long total;
    private long max;

    public void record(long micros) {
        long v = Math.max(0, micros);
        counts[index(v)]++;
        total++;
        if (v > max) max = v;
    }

    public long count() {
        return total;
    }

    public long max() {
        return max;
    }

    /** The value below which a fraction {@code q} (0..1) of the recorded values lie; 0 when empty. */
    public long percentile(double q) {
        if (total == 0) return 0;
        long rank = Math.max(1, (long) Math.ceil(q * total));
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += counts[i];
            if (seen >= rank) return Math.min(max, upperBound(i));
        }
        return max;
    }

    public void addAll(LatencyHistogram other) {
        for (int i = 0; i < BUCKETS; i++) counts[i] += other.counts[i];
        total += other.total;
        max = Math.max(max, other.max);
    }

    public void clear() {
        java.util.Arrays.fill(counts, 0);
        total = 0;
        max = 0;
    }

    public LatencyHistogram copy() {
        LatencyHistogram h = new LatencyHistogram();
        h.addAll(this);
        return h;
    }

    static int index(long v) {
        if (v < 2 * SUB) return (int) v;
        int magnitude = 63 - Long.numberOfLeadingZeros(v);
        int shift = magnitude - SUB_BITS;
        int i = 2 * SUB + (magnitude - SUB_BITS - 1) * SUB + (int) (v >>> shift) - SUB;
        return Math.min(i, BUCKETS - 1);
    }

    /** The largest value that lands in bucket {@code i}. */
    static long upperBound(int i) {
        if (i < 2 * SUB) return i;
        int magnitude = (i - 2 * SUB) / SUB + SUB_BITS + 1;
        long sub = (i - 2 * SUB) % SUB + SUB;
        int shift = magnitude - SUB_BITS;
        return ((sub + 1) << shift) - 1;
    }
}
