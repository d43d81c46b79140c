package org.conclave.tests.client;

import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The tag a {@link JavaPeer} puts in its Opus-like audio payloads (a TOC byte, "LV", the sender's audio SSRC), and
 * the receiving peer's count of what reached it, by tag: so a test knows whose audio arrived where.
 */
final class AudioTags {
    /** TOC byte, magic, 4-byte tag. */
    static final int BYTES = 7;
    private static final int MAGIC_0 = 'L';
    private static final int MAGIC_1 = 'V';

    private final Map<Integer, AtomicLong> byTag = new ConcurrentHashMap<>();
    private final AtomicLong all = new AtomicLong();

    /** Writes a tagged payload of {@code length} bytes at {@code p}. */
    static void write(byte[] b, int p, int tag, int length) {
        if (length < BYTES) throw new IllegalArgumentException("payload below " + BYTES);
        b[p] = (byte) 0xFC; // Opus TOC: CELT FB 20 ms
        b[p + 1] = (byte) MAGIC_0;
        b[p + 2] = (byte) MAGIC_1;
        b[p + 3] = (byte) (tag >>> 24);
        b[p + 4] = (byte) (tag >>> 16);
        b[p + 5] = (byte) (tag >>> 8);
        b[p + 6] = (byte) tag;
        Arrays.fill(b, p + BYTES, p + length, (byte) 0x55);
    }

    /** Counts one received audio payload, tagged or not; on the receive thread. */
    void count(byte[] b, int off, int len) {
        all.incrementAndGet();
        if (len < BYTES || b[off + 1] != MAGIC_0 || b[off + 2] != MAGIC_1) return;
        int tag = ((b[off + 3] & 0xFF) << 24) | ((b[off + 4] & 0xFF) << 16) | ((b[off + 5] & 0xFF) << 8) | (b[off + 6] & 0xFF);
        AtomicLong n = byTag.get(tag);
        if (n == null) n = byTag.computeIfAbsent(tag, t -> new AtomicLong());
        n.incrementAndGet();
    }

    long from(int tag) {
        AtomicLong n = byTag.get(tag);
        return n == null ? 0 : n.get();
    }

    long all() {
        return all.get();
    }

    long tagged() {
        return byTag.values().stream().mapToLong(AtomicLong::get).sum();
    }
}
