package org.conclave.sfu.forward;

/**
 * What went out on one {@link OutgoingStream}, by output sequence number: which input packet (stream and sequence)
 * it was and the timestamp it got. The packets themselves stay once in their input stream's cache, so answering a
 * receiver's NACK costs a few bytes per packet sent instead of a copy per receiver. Packet thread only; no
 * allocation per packet (the log doubles a few times per stream at most, while its packets are young).
 */
final class SentLog {
    /** Entries allocated up front: a thumbnail's second of packets (30/s). */
    static final int INITIAL_CAPACITY = 64;

    private final int maxCapacity;
    private final long maxAgeNanos;
    private int mask;
    private int[] outSeq;
    private IncomingStream[] input;
    private int[] inSeq;
    private int[] outTs;
    private long[] sentNanos;
    private long[] resentNanos;
    private int newest = -1;

    /**
     * @param maxCapacity a power of two: packets remembered at most (older ones are overwritten)
     * @param maxAgeNanos the log doubles (up to {@code maxCapacity}) rather than overwrite an entry younger than this,
     *     so it holds about one max age of the stream's packets: 64 for a thumbnail, 256 for full-res
     */
    SentLog(int maxCapacity, long maxAgeNanos) {
        if (Integer.bitCount(maxCapacity) != 1) throw new IllegalArgumentException("not a power of two: " + maxCapacity);
        this.maxCapacity = maxCapacity;
        this.maxAgeNanos = maxAgeNanos;
        allocate(Math.min(INITIAL_CAPACITY, maxCapacity));
    }

    void record(int seq, IncomingStream from, int inputSeq, long timestamp, long nowNanos) {
        seq &= 0xFFFF;
        while (outSeq[seq & mask] >= 0 && outSeq[seq & mask] != seq && nowNanos - sentNanos[seq & mask] < maxAgeNanos
                && outSeq.length < maxCapacity) {
            grow();
        }
        int i = seq & mask;
        outSeq[i] = seq;
        input[i] = from;
        inSeq[i] = inputSeq & 0xFFFF;
        outTs[i] = (int) timestamp;
        sentNanos[i] = nowNanos;
        resentNanos[i] = Long.MIN_VALUE;
        newest = i;
    }

    /** Entries currently allocated. */
    int capacity() {
        return outSeq.length;
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

    private void grow() {
        int[] oldOutSeq = outSeq;
        IncomingStream[] oldInput = input;
        int[] oldInSeq = inSeq;
        int[] oldOutTs = outTs;
        long[] oldSent = sentNanos;
        long[] oldResent = resentNanos;
        int newestSeq = newest < 0 ? -1 : oldOutSeq[newest];
        allocate(oldOutSeq.length * 2);
        for (int j = 0; j < oldOutSeq.length; j++) {
            if (oldOutSeq[j] < 0) continue;
            // Distinct modulo the old capacity means distinct modulo the new one: no collisions.
            int i = oldOutSeq[j] & mask;
            outSeq[i] = oldOutSeq[j];
            input[i] = oldInput[j];
            inSeq[i] = oldInSeq[j];
            outTs[i] = oldOutTs[j];
            sentNanos[i] = oldSent[j];
            resentNanos[i] = oldResent[j];
        }
        newest = newestSeq < 0 ? -1 : newestSeq & mask;
    }

    private void allocate(int capacity) {
        mask = capacity - 1;
        outSeq = new int[capacity];
        java.util.Arrays.fill(outSeq, -1);
        input = new IncomingStream[capacity];
        inSeq = new int[capacity];
        outTs = new int[capacity];
        sentNanos = new long[capacity];
        resentNanos = new long[capacity];
    }
}
