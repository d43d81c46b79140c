package org.conclave.sfu.sctp.chunk;

/** Big-endian field access and 4-byte padding shared by the SCTP codecs. */
public final class Wire {
    private Wire() {
    }

    public static int u8(byte[] b, int off) {
        return b[off] & 0xFF;
    }

    public static int u16(byte[] b, int off) {
        return (b[off] & 0xFF) << 8 | (b[off + 1] & 0xFF);
    }

    public static int i32(byte[] b, int off) {
        return (b[off] & 0xFF) << 24 | (b[off + 1] & 0xFF) << 16 | (b[off + 2] & 0xFF) << 8 | (b[off + 3] & 0xFF);
    }

    public static long u32(byte[] b, int off) {
        return i32(b, off) & 0xFFFFFFFFL;
    }

    public static void put16(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 8);
        b[off + 1] = (byte) v;
    }

    public static void put32(byte[] b, int off, long v) {
        b[off] = (byte) (v >>> 24);
        b[off + 1] = (byte) (v >>> 16);
        b[off + 2] = (byte) (v >>> 8);
        b[off + 3] = (byte) v;
    }

    public static int padded(int len) {
        return (len + 3) & ~3;
    }

    /** Writes a chunk or parameter header (type, flags, length) and zeroes the padding after {@code length} bytes. */
    static void chunkHeader(byte[] b, int off, int type, int flags, int length) {
        b[off] = (byte) type;
        b[off + 1] = (byte) flags;
        put16(b, off + 2, length);
        zeroPad(b, off, length);
    }

    static void paramHeader(byte[] b, int off, int type, int length) {
        put16(b, off, type);
        put16(b, off + 2, length);
        zeroPad(b, off, length);
    }

    private static void zeroPad(byte[] b, int off, int length) {
        for (int i = off + length; i < off + padded(length); i++) b[i] = 0;
    }
}
