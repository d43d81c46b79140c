package org.conclave.sfu.srtp;

/**
 * A fixed-capacity open-addressing map from SSRC to a per-stream object: no boxing, no allocation after
 * construction. Linear probing; removal shifts the rest of the cluster back (no tombstones, so a long call's
 * coming and going streams never slow lookups down).
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

    /** Removes an entry; @return its value, or null if absent. */
    @SuppressWarnings("unchecked")
    T remove(int ssrc) {
        int i = slot(ssrc);
        while (values[i] != null && keys[i] != ssrc) {
            i = (i + 1) & mask;
        }
        Object removed = values[i];
        if (removed == null) {
            return null;
        }
        // Backward-shift deletion: an entry further on in the cluster moves into the hole unless its home slot lies
        // cyclically in (hole, its slot], where a lookup would stop at the hole before reaching it.
        for (int j = (i + 1) & mask; values[j] != null; j = (j + 1) & mask) {
            int home = slot(keys[j]);
            if (((j - home) & mask) >= ((j - i) & mask)) {
                keys[i] = keys[j];
                values[i] = values[j];
                i = j;
            }
        }
        values[i] = null;
        size--;
        return (T) removed;
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
