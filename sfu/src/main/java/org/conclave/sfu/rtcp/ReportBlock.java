package org.conclave.sfu.rtcp;

import org.conclave.sfu.rtp.Bytes;

/** Static view of one 24-byte reception report block (RFC 3550 §6.4.1) at absolute offset {@code at}. */
public final class ReportBlock {
    public static final int LENGTH = 24;

    private ReportBlock() {
    }

    public static int ssrc(byte[] b, int at) {
        return Bytes.int32(b, at);
    }

    /** Fraction lost since the previous report, 8-bit fixed point (0..255 = 0..255/256). */
    public static int fractionLost(byte[] b, int at) {
        return b[at + 4] & 0xFF;
    }

    /** Cumulative packets lost, signed 24 bits. */
    public static int cumulativeLost(byte[] b, int at) {
        return (Bytes.uint24(b, at + 5) << 8) >> 8;
    }

    public static long extendedHighestSeq(byte[] b, int at) {
        return Bytes.uint32(b, at + 8);
    }

    public static long jitter(byte[] b, int at) {
        return Bytes.uint32(b, at + 12);
    }

    /** Middle 32 bits of the NTP timestamp of the last SR received (LSR). */
    public static long lastSr(byte[] b, int at) {
        return Bytes.uint32(b, at + 16);
    }

    /** Delay since last SR (DLSR), 1/65536 seconds. */
    public static long delaySinceLastSr(byte[] b, int at) {
        return Bytes.uint32(b, at + 20);
    }

    /** Writes a block; the caller checked that {@link #LENGTH} bytes fit. */
    public static int write(byte[] buf, int at, int ssrc, int fractionLost, int cumulativeLost, long extendedHighestSeq,
                            long jitter, long lastSr, long delaySinceLastSr) {
        Bytes.putInt32(buf, at, ssrc);
        buf[at + 4] = (byte) fractionLost;
        Bytes.putUint24(buf, at + 5, cumulativeLost);
        Bytes.putInt32(buf, at + 8, (int) extendedHighestSeq);
        Bytes.putInt32(buf, at + 12, (int) jitter);
        Bytes.putInt32(buf, at + 16, (int) lastSr);
        Bytes.putInt32(buf, at + 20, (int) delaySinceLastSr);
        return LENGTH;
    }
}
