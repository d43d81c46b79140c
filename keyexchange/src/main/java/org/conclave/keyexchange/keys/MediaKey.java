package org.conclave.keyexchange.keys;

import java.security.SecureRandom;
import java.util.Arrays;

/**
 * One sender's media key: random bytes and the index (0-255) under which it is announced. It is the SFrame base key;
 * its SFrame KID is the index itself ({@link #kid()}), so KIDs stay within one header byte plus the config byte and
 * receivers need no extra mapping. (The RFC 9605 §5.1 ratchet is not used: R = 0, every key is a fresh generation.)
 */
public final class MediaKey {
    /** Length of keys this library makes. */
    public static final int LENGTH = 32;
    /** Shortest key accepted from others (Element Call makes 16-byte keys). */
    public static final int MIN_LENGTH = 16;
    /** Longest key accepted from others. */
    public static final int MAX_LENGTH = 64;
    /** Indexes run 0..INDEX_COUNT-1 and wrap. */
    public static final int INDEX_COUNT = 256;

    private final int index;
    private final byte[] key;

    public MediaKey(int index, byte[] key) {
        if (index < 0 || index >= INDEX_COUNT) {
            throw new IllegalArgumentException("media key index must be 0.." + (INDEX_COUNT - 1) + ", was " + index);
        }
        if (key.length < MIN_LENGTH || key.length > MAX_LENGTH) {
            throw new IllegalArgumentException("media key must be " + MIN_LENGTH + ".." + MAX_LENGTH
                    + " bytes, was " + key.length);
        }
        this.index = index;
        this.key = key.clone();
    }

    /** A fresh random {@link #LENGTH}-byte key. */
    public static MediaKey random(int index, SecureRandom random) {
        byte[] bytes = new byte[LENGTH];
        random.nextBytes(bytes);
        return new MediaKey(index, bytes);
    }

    /** The index after {@code index}: (index + 1) mod 256. */
    public static int nextIndex(int index) {
        return (index + 1) % INDEX_COUNT;
    }

    public int index() {
        return index;
    }

    /** The key bytes (a copy). */
    public byte[] key() {
        return key.clone();
    }

    /** The SFrame KID frames encrypted under this key carry. */
    public long kid() {
        return index;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MediaKey other && other.index == index && Arrays.equals(other.key, key);
    }

    @Override
    public int hashCode() {
        return 31 * index + Arrays.hashCode(key);
    }

    /** Never prints the key bytes. */
    @Override
    public String toString() {
        return "MediaKey[index=" + index + ", " + key.length + " bytes]";
    }
}
