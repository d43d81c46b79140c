package org.conclave.sfu.rtp;

/** Big-endian (network order) reads and writes on {@code byte[]}; no bounds checks beyond the JVM's own. */
public final class Bytes {
    private Bytes() {
    }

    public static int uint8(byte[] b, int at) {
        return b[at] & 0xFF;
    }

    public static int uint16(byte[] b, int at) {
        return ((b[at] & 0xFF) << 8) | (b[at + 1] & 0xFF);
    }

    public static int uint24(byte[] b, int at) {
        return ((b[at] & 0xFF) << 16) | ((b[at + 1] & 0xFF) << 8) | (b[at + 2] & 0xFF);
    }

    public static int int32(byte[] b, int at) {
        return ((b[at] & 0xFF) << 24) | ((b[at + 1] & 0xFF) << 16) | ((b[at + 2] & 0xFF) << 8) | (b[at + 3] & 0xFF);
    }

    public static long uint32(byte[] b, int at) {
        return int32(b, at) & 0xFFFF_FFFFL;
    }

    public static long int64(byte[] b, int at) {
        return ((long) int32(b, at) << 32) | uint32(b, at + 4);
    }

    public static void putUint16(byte[] b, int at, int value) {
        b[at] = (byte) (value >>> 8);
        b[at + 1] = (byte) value;
    }

    public static void putUint24(byte[] b, int at, int value) {
        b[at] = (byte) (value >>> 16);
        b[at + 1] = (byte) (value >>> 8);
        b[at + 2] = (byte) value;
    }

    public static void putInt32(byte[] b, int at, int value) {
        b[at] = (byte) (value >>> 24);
        b[at + 1] = (byte) (value >>> 16);
        b[at + 2] = (byte) (value >>> 8);
        b[at + 3] = (byte) value;
    }

    public static void putInt64(byte[] b, int at, long value) {
        putInt32(b, at, (int) (value >>> 32));
        putInt32(b, at + 4, (int) value);
    }
}
