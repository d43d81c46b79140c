package org.conclave.sfu.forward;

/**
 * What went out on one {@link OutgoingStream}, by output sequence number: which input packet (stream and sequence)
 * it was and the timestamp it got. The packets themselves stay once in their input stream's cache, so answering a
 * receiver's NACK costs a few bytes per packet sent instead of a copy per receiver. Packet thread only; no
 * allocation after construction.
 */
final class SentLog {
    private final int mask;
    private final int[] outSeq;
    private final IncomingStream[] input;
    private final int[] inSeq;
    private final int[] outTs;
    private final long[] sentNanos;
    private final long[] resentNanos;
    private int newest = -1;

    /** @param capacity a power of two: packets remembered (older ones are overwritten) */
    SentLog(int capacity) {
        if (Integer.bitCount(capacity) != 1) throw new IllegalArgumentException("not a power of two: " + capacity);
        mask = capacity - 1;
        outSeq = new int[capacity];
        java.util.Arrays.fill(outSeq, -1);
        input = new IncomingStream[capacity];
        inSeq = new int[capacity];
        outTs = new int[capacity];
        sentNanos = new long[capacity];
        resentNanos = new long[capacity];
    }

    void record(int seq, IncomingStream from, int inputSeq, long timestamp, long nowNanos) {
        int i = seq & mask;
        outSeq[i] = seq & 0xFFFF;
        input[i] = from;
        inSeq[i] = inputSeq & 0xFFFF;
        outTs[i] = (int) timestamp;
        sentNanos[i] = nowNanos;
        resentNanos[i] = Long.MIN_VALUE;
        newest = i;
    }

    /** The entry of output sequence {@code seq} if it went out within {@code maxAgeNanos}, else -1. */
    int find(int seq, long nowNanos, long maxAgeNanos) {
        int i = seq & mask;
        return outSeq[i] == (seq & 0xFFFF) && nowNanos - sentNanos[i] <= maxAgeNanos ? i : -1;
    }

    /** The entry sent last, or -1. */
    int newest() {
        return newest;
    }

    /** Marks a resend unless the entry was resent within {@code minIntervalNanos}. */
    boolean markResent(int i, long nowNanos, long minIntervalNanos) {
        if (resentNanos[i] != Long.MIN_VALUE && nowNanos - resentNanos[i] < minIntervalNanos) return false;
        resentNanos[i] = nowNanos;
        return true;
    }

    int outSeq(int i) {
        return outSeq[i];
    }

    IncomingStream input(int i) {
        return input[i];
    }

    int inSeq(int i) {
        return inSeq[i];
    }

    long outTs(int i) {
        return outTs[i] & 0xFFFFFFFFL;
    }
}
