package org.conclave.bench.load;

/**
 * A measurement window: packets whose send time lies in [start, end) are counted, by sender and receivers alike, so
 * both sides count exactly the same packets however late they arrive.
 */
public record Span(long startNanos, long endNanos) {
    /** A span nothing falls into (between measurements). */
    public static final Span CLOSED = new Span(0, 0);

    public boolean contains(long nanos) {
        return nanos - startNanos >= 0 && nanos - endNanos < 0;
    }

    public double seconds() {
        return (endNanos - startNanos) / 1e9;
    }
}
