package org.conclave.bench.heap;

import java.util.Arrays;

/** Open-addressing map from non-zero long keys (object ids) to int values, without boxing: millions of objects. */
final class LongIndex {
    private long[] keys = new long[1 << 16];
    private int[] values = new int[1 << 16];
    private int size;

    /** Stores {@code value} for {@code key} (non-zero) and returns it. */
    int put(long key, int value) {
        if (key == 0) throw new IllegalArgumentException("key 0");
        if (2 * (size + 1) > keys.length) grow();
        int i = slot(key, keys);
        if (keys[i] == 0) {
            keys[i] = key;
            size++;
        }
        values[i] = value;
        return value;
    }

    /** The value of {@code key}, or -1. */
    int get(long key) {
        if (key == 0) return -1;
        int i = slot(key, keys);
        return keys[i] == 0 ? -1 : values[i];
    }

    int size() {
        return size;
    }

    private static int slot(long key, long[] table) {
        int mask = table.length - 1;
        int i = (int) (mix(key) & mask);
        while (table[i] != 0 && table[i] != key) i = (i + 1) & mask;
        return i;
    }

    private static long mix(long k) {
        k ^= k >>> 33;
        k *= 0xff51afd7ed558ccdL;
        return k ^ (k >>> 33);
    }

    private void grow() {
        long[] oldKeys = keys;
        int[] oldValues = values;
        keys = new long[oldKeys.length * 2];
        values = new int[oldKeys.length * 2];
        for (int j = 0; j < oldKeys.length; j++) {
            if (oldKeys[j] == 0) continue;
            int i = slot(oldKeys[j], keys);
            keys[i] = oldKeys[j];
            values[i] = oldValues[j];
        }
        Arrays.fill(oldKeys, 0);
    }
}
