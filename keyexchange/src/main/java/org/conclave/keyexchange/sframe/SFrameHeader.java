package org.conclave.keyexchange.sframe;

/**
 * The SFrame header (RFC 9605 §4.3): one config byte {@code |X|K(3)|Y|C(3)|} then the KID and CTR as big-endian
 * unsigned integers. A value below 8 sits in K (or C) with X (or Y) clear; a larger one follows the config byte in
 * K+1 (or C+1) bytes. KID comes before CTR. Both are unsigned 64-bit values held in a {@code long}.
 *
 * <p>The encoder always writes the minimal form. The decoder also accepts non-minimal lengths (e.g. KID 5 in one extra
 * byte): the value is unambiguous and the header bytes as received are authenticated, so a rewritten header fails
 * decryption anyway.
 *
 * @param kid    key identifier (unsigned)
 * @param ctr    frame counter (unsigned)
 * @param length number of bytes the header occupies
 */
public record SFrameHeader(long kid, long ctr, int length) {
    /** Longest header: config byte, 8-byte KID, 8-byte CTR. */
    public static final int MAX_LENGTH = 17;
    private static final int INLINE_LIMIT = 8;
    private static final int EXTENDED = 0x08;

    /** Bytes {@link #encode} writes for these values. */
    public static int encodedLength(long kid, long ctr) {
        return 1 + extraBytes(kid) + extraBytes(ctr);
    }

    /** Writes the minimal header at {@code out[off]}; returns its length. */
    public static int encode(long kid, long ctr, byte[] out, int off) {
        int kidBytes = extraBytes(kid);
        int ctrBytes = extraBytes(ctr);
        int config = (kidBytes == 0 ? (int) kid : EXTENDED | (kidBytes - 1)) << 4
                | (ctrBytes == 0 ? (int) ctr : EXTENDED | (ctrBytes - 1));
        out[off] = (byte) config;
        writeBigEndian(kid, kidBytes, out, off + 1);
        writeBigEndian(ctr, ctrBytes, out, off + 1 + kidBytes);
        return 1 + kidBytes + ctrBytes;
    }

    /** The minimal header as a new array. */
    public static byte[] encode(long kid, long ctr) {
        byte[] out = new byte[encodedLength(kid, ctr)];
        encode(kid, ctr, out, 0);
        return out;
    }

    /**
     * Parses the header at the start of {@code buf[off, off+len)}; never reads outside that range.
     *
     * @throws SFrameException.Syntax if the range is empty or shorter than the lengths the config byte announces
     */
    public static SFrameHeader decode(byte[] buf, int off, int len) throws SFrameException.Syntax {
        if (len < 1) {
            throw new SFrameException.Syntax("empty SFrame header");
        }
        int config = buf[off] & 0xFF;
        int k = (config >> 4) & 0x0F;
        int c = config & 0x0F;
        int kidBytes = (k & EXTENDED) != 0 ? (k & 0x07) + 1 : 0;
        int ctrBytes = (c & EXTENDED) != 0 ? (c & 0x07) + 1 : 0;
        int length = 1 + kidBytes + ctrBytes;
        if (length > len) {
            throw new SFrameException.Syntax("SFrame header needs " + length + " bytes, frame has " + len);
        }
        long kid = kidBytes == 0 ? k : readBigEndian(buf, off + 1, kidBytes);
        long ctr = ctrBytes == 0 ? c : readBigEndian(buf, off + 1 + kidBytes, ctrBytes);
        return new SFrameHeader(kid, ctr, length);
    }

    /** Bytes after the config byte for one value: 0 when it fits in 3 bits, else its minimal big-endian length. */
    static int extraBytes(long value) {
        if (value >= 0 && value < INLINE_LIMIT) {
            return 0;
        }
        return (Long.SIZE - Long.numberOfLeadingZeros(value) + 7) / 8;
    }

    private static void writeBigEndian(long value, int bytes, byte[] out, int off) {
        for (int i = bytes - 1; i >= 0; i--) {
            out[off + i] = (byte) value;
            value >>>= 8;
        }
    }

    private static long readBigEndian(byte[] buf, int off, int bytes) {
        long v = 0;
        for (int i = 0; i < bytes; i++) {
            v = (v << 8) | (buf[off + i] & 0xFF);
        }
        return v;
    }
}
