package org.conclave.sfu.forward;

/**
 * What went out on one {@link OutgoingStream}, by output sequence number: which input packet (stream and sequence)
 * it was and the timestamp it got. The packets themselves stay once in their input stream's cache, so answering a
 * receiver's NACK costs a few bytes per packet sent instead of a copy per receiver. Packet thread only; no
 * allocation per packet (the log doubles a few times per stream at most, while its packets are young, and shrinks back
 * from housekeeping, {@link #trim}, once a window passed in which its young entries used little of it).
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
    /** Output sequence of the oldest entry within max age, as of the last {@link #trim}; -1 before one. */
    private int liveOldest = -1;
    private final org.conclave.sfu.rtp.ShrinkWindow window;

    /**
     * @param maxCapacity a power of two: packets remembered at most (older ones are overwritten)
     * @param maxAgeNanos the log doubles (up to {@code maxCapacity}) rather than overwrite an entry younger than this,
     *     so it holds about one max age of the stream's packets: 64 for a thumbnail, 256 for full-res
     */
    SentLog(int maxCapacity, long maxAgeNanos) {
        if (Integer.bitCount(maxCapacity) != 1) throw new IllegalArgumentException("not a power of two: " + maxCapacity);
        this.maxCapacity = maxCapacity;
        this.maxAgeNanos = maxAgeNanos;
        this.window = new org.conclave.sfu.rtp.ShrinkWindow(maxAgeNanos);
        allocate(Math.min(INITIAL_CAPACITY, maxCapacity));
    }

    void record(int seq, IncomingStream from, int inputSeq, long timestamp, long nowNanos) {
        seq &= 0xFFFF;
        while (outSeq[seq & mask] >= 0 && outSeq[seq & mask] != seq && nowNanos - sentNanos[seq & mask] < maxAgeNanos
                && outSeq.length < maxCapacity) {
            grow();
            window.restart(nowNanos);
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

    /**
     * Housekeeping, between packets: samples how many sequence numbers the entries within max age span and, at the end
     * of a window in which that stayed below {@code ShrinkWindow.BELOW_PERCENT} of the log, reallocates it smaller,
     * keeping every entry within max age (at most once per window).
     */
    void trim(long nowNanos) {
        int span = liveSpan(nowNanos);
        long peak = window.sample(span, outSeq.length, nowNanos);
        int target = org.conclave.sfu.rtp.ShrinkWindow.powerOfTwoFor(peak, Math.min(INITIAL_CAPACITY, maxCapacity));
        if (peak < 0 || target >= outSeq.length) return;
        if (span > 0) {
            rehash(target, liveOldest, span); // at most the peak: distinct modulo the new capacity
        } else {
            rehash(target, newest < 0 ? 0 : outSeq[newest], newest < 0 ? 0 : 1); // the newest stays, for probes
        }
        window.restart(nowNanos);
    }

    /** Sequence numbers from the oldest entry within max age to the newest, moving {@link #liveOldest} up to it. */
    private int liveSpan(long nowNanos) {
        if (newest < 0) return 0;
        int newestSeq = outSeq[newest];
        if (liveOldest < 0 || ((newestSeq - liveOldest) & 0xFFFF) >= outSeq.length) {
            liveOldest = (newestSeq - outSeq.length + 1) & 0xFFFF; // nothing older is in the log
        }
        while (true) {
            int i = liveOldest & mask;
            if (outSeq[i] == liveOldest && nowNanos - sentNanos[i] <= maxAgeNanos) {
                return ((newestSeq - liveOldest) & 0xFFFF) + 1;
            }
            if (liveOldest == newestSeq) return 0;
            liveOldest = (liveOldest + 1) & 0xFFFF;
        }
    }

    private void grow() {
        rehash(outSeq.length * 2, -1, outSeq.length);
    }

    /**
     * Reallocates at {@code capacity}: keeps every entry (growing: {@code from} -1, {@code count} the old capacity) or
     * only those of the {@code count} sequence numbers from {@code from} (shrinking).
     */
    private void rehash(int capacity, int from, int count) {
        int[] oldOutSeq = outSeq;
        IncomingStream[] oldInput = input;
        int[] oldInSeq = inSeq;
        int[] oldOutTs = outTs;
        long[] oldSent = sentNanos;
        long[] oldResent = resentNanos;
        int newestSeq = newest < 0 ? -1 : oldOutSeq[newest];
        int oldMask = mask;
        allocate(capacity);
        for (int k = 0; k < count; k++) {
            // Growing: distinct modulo the old capacity means distinct modulo the new one. Shrinking: the span is
            // shorter than the new capacity. No collisions either way.
            int j = from < 0 ? k : (from + k) & oldMask;
            if (oldOutSeq[j] < 0 || from >= 0 && oldOutSeq[j] != ((from + k) & 0xFFFF)) continue;
            int i = oldOutSeq[j] & mask;
            outSeq[i] = oldOutSeq[j];
            input[i] = oldInput[j];
            inSeq[i] = oldInSeq[j];
            outTs[i] = oldOutTs[j];
            sentNanos[i] = oldSent[j];
            resentNanos[i] = oldResent[j];
        }
        newest = newestSeq < 0 || outSeq[newestSeq & mask] != newestSeq ? -1 : newestSeq & mask;
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
