package org.conclave.sfu.srtp;

/**
 * A fixed-capacity open-addressing map from SSRC to a per-stream object: no boxing, no allocation after
 * construction, no removal (a session's streams live as long as the session).
 */
final class SsrcTable<T> {
    private final int[] keys;
    private final Object[] values; // null = empty slot; SSRC 0 is a valid key
    private final int mask;
    private final int maxEntries;
    private int size;

    SsrcTable(int maxEntries) {
        if (maxEntries < 1) {
            throw new IllegalArgumentException("maxEntries must be positive");
        }
        int slots = Integer.highestOneBit(maxEntries * 2 - 1) << 1; // load factor <= 0.5
        this.keys = new int[slots];
        this.values = new Object[slots];
        this.mask = slots - 1;
        this.maxEntries = maxEntries;
    }

    @SuppressWarnings("unchecked")
    T get(int ssrc) {
        for (int i = slot(ssrc); ; i = (i + 1) & mask) {
            Object v = values[i];
            if (v == null) {
                return null;
            }
            if (keys[i] == ssrc) {
                return (T) v;
            }
        }
    }

    /** Adds a new entry; false if the table is full. The key must not be present. */
    boolean put(int ssrc, T value) {
        if (value == null) {
            throw new IllegalArgumentException("null value");
        }
        if (size == maxEntries) {
            return false;
        }
        int i = slot(ssrc);
        while (values[i] != null) {
            if (keys[i] == ssrc) {
                throw new IllegalStateException("SSRC already present");
            }
            i = (i + 1) & mask;
        }
        keys[i] = ssrc;
        values[i] = value;
        size++;
        return true;
    }

    int size() {
        return size;
    }

    boolean isFull() {
        return size == maxEntries;
    }

    private int slot(int ssrc) {
        return (ssrc * 0x9E3779B9 >>> 16 ^ ssrc * 0x9E3779B9) & mask; // Fibonacci hash, high bits folded in
    }
}
