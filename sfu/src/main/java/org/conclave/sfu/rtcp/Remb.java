package org.conclave.sfu.rtcp;

import org.conclave.sfu.rtp.Bytes;

/**
 * Receiver estimated maximum bitrate, PSFB FMT 15 with identifier "REMB" (draft-alvestrand-rmcat-remb-03): number of
 * SSRCs (8 bits), bitrate exponent (6 bits) and mantissa (18 bits), then the SSRC list. Media SSRC is 0. Accessors
 * assume {@link RtcpKind#REMB}.
 */
public final class Remb {
    /** Feedback header, "REMB", and the count/exponent/mantissa word. */
    public static final int HEADER_LENGTH = 20;
    public static final int MAX_SSRCS = 255;
    private static final int MANTISSA_BITS = 18;
    private static final int MAX_MANTISSA = (1 << MANTISSA_BITS) - 1;
    private static final int IDENTIFIER = ('R' << 24) | ('E' << 16) | ('M' << 8) | 'B';

    private Remb() {
    }

    /** Bitrate in bits per second (Long.MAX_VALUE if the encoding overflows a long). */
    public static long bitrate(byte[] b, int off) {
        return decodeBitrate(Bytes.uint24(b, off + 17));
    }

    public static int ssrcCount(byte[] b, int off) {
        return b[off + 16] & 0xFF;
    }

    public static int ssrc(byte[] b, int off, int index) {
        return Bytes.int32(b, off + HEADER_LENGTH + 4 * index);
    }

    /** Largest representable value not above {@code bitrateBps}: exponent in bits 23..18, mantissa in 17..0. */
    public static int encodeBitrate(long bitrateBps) {
        long bitrate = Math.max(0, bitrateBps);
        int exp = 0;
        while ((bitrate >>> exp) > MAX_MANTISSA) {
            exp++;
        }
        return (exp << MANTISSA_BITS) | (int) (bitrate >>> exp);
    }

    /** Inverse of {@link #encodeBitrate} for a 24-bit exponent/mantissa field. */
    public static long decodeBitrate(int expMantissa) {
        return shiftSaturated(expMantissa & MAX_MANTISSA, (expMantissa >>> MANTISSA_BITS) & 0x3F);
    }

    /**
     * @return the length written, or -1 (nothing written) if it does not fit or there are more than 255 SSRCs
     */
    public static int write(byte[] buf, int off, int senderSsrc, long bitrateBps, int[] ssrcs, int count) {
        int length = HEADER_LENGTH + 4 * count;
        if (count < 0 || count > MAX_SSRCS || (count > 0 && count > ssrcs.length)
                || !RtcpPacket.fits(buf, off, length)) {
            return -1;
        }
        RtcpFeedback.writeHeader(buf, off, RtcpPacket.FMT_AFB, RtcpPacket.PT_PSFB, length, senderSsrc, 0);
        Bytes.putInt32(buf, off + 12, IDENTIFIER);
        buf[off + 16] = (byte) count;
        Bytes.putUint24(buf, off + 17, encodeBitrate(bitrateBps));
        for (int i = 0; i < count; i++) {
            Bytes.putInt32(buf, off + HEADER_LENGTH + 4 * i, ssrcs[i]);
        }
        return length;
    }

    /** {@code mantissa << exp}, Long.MAX_VALUE when that would overflow. */
    static long shiftSaturated(long mantissa, int exp) {
        if (mantissa == 0) {
            return 0;
        }
        return exp >= Long.numberOfLeadingZeros(mantissa) ? Long.MAX_VALUE : mantissa << exp;
    }
}
