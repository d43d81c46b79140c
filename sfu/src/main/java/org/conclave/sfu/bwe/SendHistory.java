package org.conclave.sfu.bwe;

/**
 * Bounded ring of the packets sent to one receiver, by extended transport-wide sequence number: send time, size, and
 * whether feedback already reported it. A packet older than the ring's capacity is forgotten (its feedback is
 * ignored). Not thread-safe; no allocation after construction.
 */
final class SendHistory {
    static final int UNREPORTED = 0;
    static final int REPORTED_RECEIVED = 1;
    static final int REPORTED_LOST = 2;
    private static final long EMPTY = -1;

    private final int mask;
    private final long[] extSeq;
    private final long[] sendNanos;
    private final int[] size;
    private final byte[] state;
    /** Extended sequence number of the latest packet recorded, -1 before the first. */
    private long highest = -1;

    SendHistory(int capacity) {
        if (capacity < 16 || Integer.bitCount(capacity) != 1) {
            throw new IllegalArgumentException("capacity must be a power of two >= 16: " + capacity);
        }
        mask = capacity - 1;
        extSeq = new long[capacity];
        sendNanos = new long[capacity];
        size = new int[capacity];
        state = new byte[capacity];
        java.util.Arrays.fill(extSeq, EMPTY);
    }

    /** Records the packet with the next extended sequence number ({@link #highest()} + 1 unless one is skipped). */
    void record(long ext, long nowNanos, int bytes) {
        int slot = (int) (ext & mask);
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
}
