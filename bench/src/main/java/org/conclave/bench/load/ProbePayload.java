package org.conclave.bench.load;

import java.util.Objects;

/**
 * The first bytes of every generated RTP payload: which track it belongs to, its number on that track and when it was
 * sent ({@link System#nanoTime}, same machine), so a receiver measures loss and one-way latency through the SFU.
 * The rest of the payload is opaque filler, as SFrame ciphertext would be.
 * <pre>
 *   0..3   magic "SFB1"
 *   4..7   track index (non-negative, big-endian)
 *   8..15  sequence on the track (big-endian)
 *   16..23 send time, System.nanoTime() (big-endian)
 * </pre>
 */
public final class ProbePayload {
    public static final int LENGTH = 24;
    public static final int MAGIC = 0x53464231;
    /** What {@link #track} returns for bytes that are not a probe. */
    public static final int NOT_A_PROBE = -1;
    static final int TRACK_OFFSET = 4;
    static final int SEQUENCE_OFFSET = 8;
    static final int SENT_OFFSET = 16;

    private ProbePayload() {}

    /** Writes a probe at {@code off}; the caller guarantees {@link #LENGTH} bytes of room. */
    public static void write(byte[] b, int off, int track, long sequence, long sentNanos) {
        Objects.checkFromIndexSize(off, LENGTH, b.length);
        if (track < 0) throw new IllegalArgumentException("track index must not be negative");
        putInt(b, off, MAGIC);
        putInt(b, off + TRACK_OFFSET, track);
        putLong(b, off + SEQUENCE_OFFSET, sequence);
        putLong(b, off + SENT_OFFSET, sentNanos);
    }

    /**
     * The track index of the probe at {@code b[off..off+len)}, or {@link #NOT_A_PROBE} if those bytes are too short,
     * lack the magic or carry a negative index. Reads nothing outside that range.
     *
     * @throws IndexOutOfBoundsException if {@code off, len} do not lie within {@code b} (a caller bug, not bad data)
     */
    public static int track(byte[] b, int off, int len) {
        Objects.checkFromIndexSize(off, len, b.length);
        if (len < LENGTH || getInt(b, off) != MAGIC) return NOT_A_PROBE;
        int track = getInt(b, off + TRACK_OFFSET);
        return track < 0 ? NOT_A_PROBE : track;
    }

    /** The sequence of a probe {@link #track} accepted. */
    public static long sequence(byte[] b, int off) {
        return getLong(b, off + SEQUENCE_OFFSET);
    }

    /** The send time of a probe {@link #track} accepted. */
    public static long sentNanos(byte[] b, int off) {
        return getLong(b, off + SENT_OFFSET);
    }

    private static void putInt(byte[] b, int i, int v) {
        b[i] = (byte) (v >>> 24);
        b[i + 1] = (byte) (v >>> 16);
        b[i + 2] = (byte) (v >>> 8);
        b[i + 3] = (byte) v;
    }

    private static void putLong(byte[] b, int i, long v) {
        putInt(b, i, (int) (v >>> 32));
        putInt(b, i + 4, (int) v);
    }

    private static int getInt(byte[] b, int i) {
        return (b[i] & 0xFF) << 24 | (b[i + 1] & 0xFF) << 16 | (b[i + 2] & 0xFF) << 8 | (b[i + 3] & 0xFF);
    }

    private static long getLong(byte[] b, int i) {
        return (long) getInt(b, i) << 32 | (getInt(b, i + 4) & 0xFFFFFFFFL);
    }
}
