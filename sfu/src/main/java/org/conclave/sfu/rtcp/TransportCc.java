package org.conclave.sfu.rtcp;

import org.conclave.sfu.rtp.Bytes;

/**
 * Transport-wide congestion control feedback, RTPFB FMT 15 (draft-holmer-rmcat-transport-wide-cc-extensions-01).
 * Kept opaque: only its fixed FCI fields are exposed. Accessors assume {@link RtcpKind#TRANSPORT_CC}.
 */
public final class TransportCc {
    /** Base sequence (2), status count (2), reference time (3), feedback packet count (1). */
    public static final int MIN_FCI_LENGTH = 8;

    private TransportCc() {
    }

    public static int baseSequence(byte[] b, int off) {
        return Bytes.uint16(b, off + RtcpPacket.FEEDBACK_HEADER_LENGTH);
    }

    public static int packetStatusCount(byte[] b, int off) {
        return Bytes.uint16(b, off + RtcpPacket.FEEDBACK_HEADER_LENGTH + 2);
    }

    /** Reference time, signed 24 bits in multiples of 64 ms. */
    public static int referenceTime(byte[] b, int off) {
        return (Bytes.uint24(b, off + RtcpPacket.FEEDBACK_HEADER_LENGTH + 4) << 8) >> 8;
    }

    public static int feedbackPacketCount(byte[] b, int off) {
        return b[off + RtcpPacket.FEEDBACK_HEADER_LENGTH + 7] & 0xFF;
    }
}
