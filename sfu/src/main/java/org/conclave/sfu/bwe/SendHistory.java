package org.conclave.sfu.bwe;

/**
 * Bounded ring of the packets sent to one receiver, by extended transport-wide sequence number: send time, size, and
 * whether feedback already reported it. A packet older than the ring's capacity is forgotten (its feedback is
 * ignored). The ring starts small and doubles, up to its maximum, only while it would overwrite a packet sent less
 * than {@link #KEEP_NANOS} ago, so it holds about that long of the receiver's packets (a meeting's ~900 packets/s:
 * 1,024 entries, 21 KB) and a receiver without transport-cc costs 256 entries. Not thread-safe; no allocation per
 * packet.
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
            grow();
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

    private void grow() {
        long[] oldExt = extSeq;
        long[] oldSend = sendNanos;
        int[] oldSize = size;
        byte[] oldState = state;
        allocate(oldExt.length * 2);
        for (int i = 0; i < oldExt.length; i++) {
            if (oldExt[i] == EMPTY) continue;
            // Distinct modulo the old capacity means distinct modulo the new one: no collisions.
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
