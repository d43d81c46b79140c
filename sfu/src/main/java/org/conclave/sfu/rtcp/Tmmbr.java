package org.conclave.sfu.rtcp;

import org.conclave.sfu.rtp.Bytes;

/**
 * TMMBR (RTPFB FMT 3) and TMMBN (FMT 4), RFC 5104 §4.2: FCI entries of SSRC + MxTBR exponent (6 bits), mantissa
 * (17 bits) and measured overhead (9 bits). Accessors assume {@link RtcpKind#TMMBR} or {@link RtcpKind#TMMBN}.
 */
public final class Tmmbr {
    public static final int ENTRY_LENGTH = 8;
    public static final int LENGTH_ONE_ENTRY = RtcpPacket.FEEDBACK_HEADER_LENGTH + ENTRY_LENGTH;
    private static final int MANTISSA_BITS = 17;
    private static final int MAX_MANTISSA = (1 << MANTISSA_BITS) - 1;
    private static final int MAX_OVERHEAD = 0x1FF;

    private Tmmbr() {
    }

    public static int entryCount(byte[] b, int off, int len) {
        return RtcpFeedback.fciLength(b, off, len) / ENTRY_LENGTH;
    }

    public static int ssrc(byte[] b, int off, int index) {
        return Bytes.int32(b, entryOffset(off, index));
    }

    /** Maximum total media bit rate in bits per second (Long.MAX_VALUE if it overflows). */
    public static long bitrate(byte[] b, int off, int index) {
        int word = Bytes.int32(b, entryOffset(off, index) + 4);
        return Remb.shiftSaturated((word >>> 9) & MAX_MANTISSA, word >>> 26);
    }

    /** Measured per-packet overhead in bytes. */
    public static int overhead(byte[] b, int off, int index) {
        return Bytes.int32(b, entryOffset(off, index) + 4) & MAX_OVERHEAD;
    }

    /** Writes a TMMBR with one entry. @return {@link #LENGTH_ONE_ENTRY}, or -1 if it does not fit */
    public static int write(byte[] buf, int off, int senderSsrc, int targetSsrc, long bitrateBps, int overhead) {
        if (!RtcpPacket.fits(buf, off, LENGTH_ONE_ENTRY)) {
            return -1;
        }
        RtcpFeedback.writeHeader(buf, off, RtcpPacket.FMT_TMMBR, RtcpPacket.PT_RTPFB, LENGTH_ONE_ENTRY, senderSsrc, 0);
        int entry = entryOffset(off, 0);
        Bytes.putInt32(buf, entry, targetSsrc);
        long bitrate = Math.max(0, bitrateBps);
        int exp = 0;
        while ((bitrate >>> exp) > MAX_MANTISSA) {
            exp++;
        }
        int mantissa = (int) (bitrate >>> exp);
        Bytes.putInt32(buf, entry + 4, (exp << 26) | (mantissa << 9) | Math.min(MAX_OVERHEAD, Math.max(0, overhead)));
        return LENGTH_ONE_ENTRY;
    }

    private static int entryOffset(int off, int index) {
        return off + RtcpPacket.FEEDBACK_HEADER_LENGTH + index * ENTRY_LENGTH;
    }
}
