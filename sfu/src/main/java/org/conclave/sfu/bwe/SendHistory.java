package org.conclave.sfu.bwe;

/**
 * Bounded ring of the packets sent to one receiver, by extended transport-wide sequence number: send time, size, and
 * whether feedback already reported it. A packet older than the ring's capacity is forgotten (its feedback is
 * ignored). The ring starts small and doubles, up to its maximum, only while it would overwrite a packet sent less
 * than {@link #KEEP_NANOS} ago, so it holds about that long of the receiver's packets (a meeting's ~900 packets/s:
 * 1,024 entries, 21 KB) and a receiver without transport-cc costs 256 entries. It shrinks back from housekeeping
 * ({@link #trim}) once a window passed in which its packets of the last {@link #KEEP_NANOS} used little of it. Not
 * thread-safe; no allocation per packet.
 */
final class SendHistory {
    static final int UNREPORTED = 0;
    static final int REPORTED_RECEIVED = 1;
    static final int REPORTED_LOST = 2;
    /** Entries allocated up front. */
    static final int INITIAL_CAPACITY = 256;
    /**
     * How long a packet is kept at least (while the maximum allows): its feedback comes within a feedback interval
     * (libwebrtc: 50-250 ms) and a round trip; a second covers round trips of several hundred ms.
     */
    static final long KEEP_NANOS = 1_000_000_000L;
    private static final long EMPTY = -1;

    private final int maxCapacity;
    private int mask;
    private long[] extSeq;
    private long[] sendNanos;
    private int[] size;
    private byte[] state;
    /** Extended sequence number of the latest packet recorded, -1 before the first. */
    private long highest = -1;
    /** The oldest packet sent within {@link #KEEP_NANOS}, as of the last {@link #trim}; -1 before one. */
    private long liveOldest = -1;
    private final org.conclave.sfu.rtp.ShrinkWindow window = new org.conclave.sfu.rtp.ShrinkWindow(KEEP_NANOS);

    SendHistory(int maxCapacity) {
        if (maxCapacity < 16 || Integer.bitCount(maxCapacity) != 1) {
            throw new IllegalArgumentException("capacity must be a power of two >= 16: " + maxCapacity);
        }
        this.maxCapacity = maxCapacity;
        allocate(Math.min(INITIAL_CAPACITY, maxCapacity));
    }

    /** Entries currently allocated. */
    int capacity() {
        return extSeq.length;
    }

    /** Records the packet with the next extended sequence number ({@link #highest()} + 1 unless one is skipped). */
    void record(long ext, long nowNanos, int bytes) {
        int slot = (int) (ext & mask);
        while (extSeq[slot] != EMPTY && extSeq[slot] != ext && nowNanos - sendNanos[slot] < KEEP_NANOS
                && extSeq.length < maxCapacity) {
            rehash(extSeq.length * 2, -1, extSeq.length);
            window.restart(nowNanos);
            slot = (int) (ext & mask);
        }
        extSeq[slot] = ext;
        sendNanos[slot] = nowNanos;
        size[slot] = bytes;
        state[slot] = UNREPORTED;
        if (ext > highest) {
            highest = ext;
        }
    }

    long highest() {
        return highest;
    }

    /** Extends a 16-bit sequence number to the one closest to the latest recorded. */
    long unwrap(int seq16) {
        if (highest < 0) {
            return seq16 & 0xFFFF;
        }
        return highest + (short) ((seq16 & 0xFFFF) - (int) (highest & 0xFFFF));
    }

    /** @return the slot of {@code ext}, or -1 if it was never sent or has been overwritten */
    int find(long ext) {
        if (ext < 0 || ext > highest) {
            return -1;
        }
        int slot = (int) (ext & mask);
        return extSeq[slot] == ext ? slot : -1;
    }

    long sendNanos(int slot) {
        return sendNanos[slot];
    }

    int size(int slot) {
        return size[slot];
    }

    int state(int slot) {
        return state[slot];
    }

    void setState(int slot, int newState) {
        state[slot] = (byte) newState;
    }

    /**
     * Housekeeping, between packets: samples how many sequence numbers the packets sent within {@link #KEEP_NANOS}
     * span and, at the end of a window in which that stayed below {@code ShrinkWindow.BELOW_PERCENT} of the history,
     * reallocates it smaller, keeping every packet sent within {@link #KEEP_NANOS} (at most once per window).
     *
     * @return whether it shrank
     */
    boolean trim(long nowNanos) {
        long span = liveSpan(nowNanos);
        long peak = window.sample(span, extSeq.length, nowNanos);
        int target = org.conclave.sfu.rtp.ShrinkWindow.powerOfTwoFor(peak, Math.min(INITIAL_CAPACITY, maxCapacity));
        if (peak < 0 || target >= extSeq.length) return false;
        rehash(target, liveOldest, span); // at most the peak: distinct modulo the new capacity
        window.restart(nowNanos);
        return true;
    }

    /** Packets from the oldest sent within {@link #KEEP_NANOS} to the latest, moving {@link #liveOldest} up to it. */
    private long liveSpan(long nowNanos) {
        if (highest < 0) return 0;
        liveOldest = Math.max(liveOldest, Math.max(0, highest - extSeq.length + 1)); // nothing older is kept
        for (; liveOldest <= highest; liveOldest++) {
            int slot = (int) (liveOldest & mask);
            if (extSeq[slot] == liveOldest && nowNanos - sendNanos[slot] <= KEEP_NANOS) {
                return highest - liveOldest + 1;
            }
        }
        return 0;
    }

    /**
     * Reallocates at {@code capacity}: keeps every packet (growing: {@code from} -1, {@code count} the old capacity)
     * or only those of the {@code count} sequence numbers from {@code from} (shrinking).
     */
    private void rehash(int capacity, long from, long count) {
        long[] oldExt = extSeq;
        long[] oldSend = sendNanos;
        int[] oldSize = size;
        byte[] oldState = state;
        int oldMask = mask;
        allocate(capacity);
        for (long k = 0; k < count; k++) {
            // Growing: distinct modulo the old capacity means distinct modulo the new one. Shrinking: the span is
            // shorter than the new capacity. No collisions either way.
            int i = (int) (from < 0 ? k : (from + k) & oldMask);
            if (oldExt[i] == EMPTY || from >= 0 && oldExt[i] != from + k) continue;
            int slot = (int) (oldExt[i] & mask);
            extSeq[slot] = oldExt[i];
            sendNanos[slot] = oldSend[i];
            size[slot] = oldSize[i];
            state[slot] = oldState[i];
        }
    }

    private void allocate(int capacity) {
        mask = capacity - 1;
        extSeq = new long[capacity];
        sendNanos = new long[capacity];
        size = new int[capacity];
        state = new byte[capacity];
        java.util.Arrays.fill(extSeq, EMPTY);
    }
}
