package org.conclave.sfu.rtcp;

import org.conclave.sfu.rtp.Bytes;

/**
 * Static view of one RTCP packet (RFC 3550 §6.4) at {@code b[off]} with {@code len} bytes, {@code len} being the size
 * its length field announces. Accessors assume a packet {@link RtcpCompound} validated; {@link #kind} re-checks bounds
 * and the type-specific layout, and the type classes' accessors assume that kind.
 */
public final class RtcpPacket {
    public static final int VERSION = 2;
    public static final int HEADER_LENGTH = 4;

    public static final int PT_SR = 200;
    public static final int PT_RR = 201;
    public static final int PT_SDES = 202;
    public static final int PT_BYE = 203;
    public static final int PT_APP = 204;
    public static final int PT_RTPFB = 205;
    public static final int PT_PSFB = 206;

    public static final int FMT_NACK = 1;
    public static final int FMT_TMMBR = 3;
    public static final int FMT_TMMBN = 4;
    public static final int FMT_TRANSPORT_CC = 15;
    public static final int FMT_PLI = 1;
    public static final int FMT_FIR = 4;
    public static final int FMT_AFB = 15;

    /** {@code off}/{@code len} do not lie within the array. */
    public static final int ERR_BOUNDS = -1;
    /** Fewer than 4 bytes left for a header (or an empty compound packet). */
    public static final int ERR_TOO_SHORT = -2;
    public static final int ERR_VERSION = -3;
    /** The length field runs past the end of the compound packet. */
    public static final int ERR_LENGTH = -4;
    /** Padding bit set but the padding count is zero or larger than the body. */
    public static final int ERR_PADDING = -5;

    /** Common feedback header: RTCP header, sender SSRC, media SSRC. */
    static final int FEEDBACK_HEADER_LENGTH = 12;
    private static final int MAX_COUNT = 31;
    private static final int REMB_IDENTIFIER = ('R' << 24) | ('E' << 16) | ('M' << 8) | 'B';

    private RtcpPacket() {
    }

    /**
     * Checks the header of the packet starting at {@code pos} within {@code [pos, end)}.
     *
     * @return the packet's length in bytes, or a negative {@code ERR_*} code
     */
    static int checkHeader(byte[] b, int pos, int end) {
        if (end - pos < HEADER_LENGTH) {
            return ERR_TOO_SHORT;
        }
        if (version(b, pos) != VERSION) {
            return ERR_VERSION;
        }
        int length = lengthBytes(b, pos);
        if (length > end - pos) {
            return ERR_LENGTH;
        }
        if (hasPadding(b, pos)) {
            int padding = b[pos + length - 1] & 0xFF;
            if (padding == 0 || padding > length - HEADER_LENGTH) {
                return ERR_PADDING;
            }
        }
        return length;
    }

    /** Classifies a packet and checks its type-specific layout; safe on any input. */
    public static RtcpKind kind(byte[] b, int off, int len) {
        if (b == null || off < 0 || len < HEADER_LENGTH || len > b.length - off
                || checkHeader(b, off, off + len) != len) {
            return RtcpKind.MALFORMED;
        }
        int body = len - paddingLength(b, off, len);
        int count = count(b, off);
        switch (packetType(b, off)) {
            case PT_SR:
                return body >= SenderReport.HEADER_LENGTH + count * ReportBlock.LENGTH
                        ? RtcpKind.SENDER_REPORT : RtcpKind.MALFORMED;
            case PT_RR:
                return body >= ReceiverReport.HEADER_LENGTH + count * ReportBlock.LENGTH
                        ? RtcpKind.RECEIVER_REPORT : RtcpKind.MALFORMED;
            case PT_SDES:
                return RtcpKind.SDES;
            case PT_BYE:
                return body >= HEADER_LENGTH + 4 * count ? RtcpKind.BYE : RtcpKind.MALFORMED;
            case PT_APP:
                return body >= 12 ? RtcpKind.APP : RtcpKind.MALFORMED;
            case PT_RTPFB:
                return transportFeedbackKind(count, body);
            case PT_PSFB:
                return payloadFeedbackKind(b, off, count, body);
            default:
                return RtcpKind.UNKNOWN;
        }
    }

    private static RtcpKind transportFeedbackKind(int fmt, int body) {
        if (body < FEEDBACK_HEADER_LENGTH) {
            return RtcpKind.MALFORMED;
        }
        int fci = body - FEEDBACK_HEADER_LENGTH;
        switch (fmt) {
            case FMT_NACK:
                return fci >= GenericNack.ITEM_LENGTH ? RtcpKind.NACK : RtcpKind.MALFORMED;
            case FMT_TMMBR:
                return fci >= Tmmbr.ENTRY_LENGTH && fci % Tmmbr.ENTRY_LENGTH == 0 ? RtcpKind.TMMBR : RtcpKind.MALFORMED;
            case FMT_TMMBN:
                return fci % Tmmbr.ENTRY_LENGTH == 0 ? RtcpKind.TMMBN : RtcpKind.MALFORMED;
            case FMT_TRANSPORT_CC:
                return fci >= TransportCc.MIN_FCI_LENGTH ? RtcpKind.TRANSPORT_CC : RtcpKind.MALFORMED;
            default:
                return RtcpKind.RTPFB_OTHER;
        }
    }

    private static RtcpKind payloadFeedbackKind(byte[] b, int off, int fmt, int body) {
        if (body < FEEDBACK_HEADER_LENGTH) {
            return RtcpKind.MALFORMED;
        }
        int fci = body - FEEDBACK_HEADER_LENGTH;
        switch (fmt) {
            case FMT_PLI:
                return RtcpKind.PLI;
            case FMT_FIR:
                return fci >= Fir.ENTRY_LENGTH && fci % Fir.ENTRY_LENGTH == 0 ? RtcpKind.FIR : RtcpKind.MALFORMED;
            case FMT_AFB:
                if (fci < 4 || Bytes.int32(b, off + FEEDBACK_HEADER_LENGTH) != REMB_IDENTIFIER) {
                    return RtcpKind.PSFB_OTHER;
                }
                return fci >= 8 && body >= Remb.HEADER_LENGTH + 4 * Remb.ssrcCount(b, off)
                        ? RtcpKind.REMB : RtcpKind.MALFORMED;
            default:
                return RtcpKind.PSFB_OTHER;
        }
    }

    public static int version(byte[] b, int off) {
        return (b[off] & 0xFF) >>> 6;
    }

    public static boolean hasPadding(byte[] b, int off) {
        return (b[off] & 0x20) != 0;
    }

    /** Report/source count (SR, RR, SDES, BYE) or feedback message type FMT (RTPFB, PSFB). */
    public static int count(byte[] b, int off) {
        return b[off] & 0x1F;
    }

    public static int packetType(byte[] b, int off) {
        return b[off + 1] & 0xFF;
    }

    /** Packet size in bytes from the length field (which counts 32-bit words minus one). */
    public static int lengthBytes(byte[] b, int off) {
        return (Bytes.uint16(b, off + 2) + 1) * 4;
    }

    public static int paddingLength(byte[] b, int off, int len) {
        return hasPadding(b, off) ? b[off + len - 1] & 0xFF : 0;
    }

    /** The SSRC right after the header: sender of SR/RR/feedback, first source of BYE, source of APP. */
    public static int senderSsrc(byte[] b, int off) {
        return Bytes.int32(b, off + 4);
    }

    public static void setSenderSsrc(byte[] b, int off, int ssrc) {
        Bytes.putInt32(b, off + 4, ssrc);
    }

    /** Writes a header with no padding for a packet of {@code totalLength} bytes (a multiple of 4). */
    static void writeHeader(byte[] buf, int off, int count, int packetType, int totalLength) {
        buf[off] = (byte) ((VERSION << 6) | (count & MAX_COUNT));
        buf[off + 1] = (byte) packetType;
        Bytes.putUint16(buf, off + 2, totalLength / 4 - 1);
    }

    /** Whether {@code length} bytes fit at {@code buf[off]}. */
    static boolean fits(byte[] buf, int off, int length) {
        return buf != null && off >= 0 && length <= buf.length - off;
    }
}
