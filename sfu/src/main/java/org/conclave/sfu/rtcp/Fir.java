package org.conclave.sfu.rtcp;

import org.conclave.sfu.rtp.Bytes;

/**
 * Full intra request, PSFB FMT 4 (RFC 5104 §4.3.1): FCI entries of SSRC + command sequence number + 3 reserved bytes;
 * the header's media SSRC is 0. Accessors assume {@link RtcpKind#FIR}.
 */
public final class Fir {
    public static final int ENTRY_LENGTH = 8;
    public static final int LENGTH_ONE_ENTRY = RtcpPacket.FEEDBACK_HEADER_LENGTH + ENTRY_LENGTH;

    private Fir() {
    }

    public static int entryCount(byte[] b, int off, int len) {
        return RtcpFeedback.fciLength(b, off, len) / ENTRY_LENGTH;
    }

    public static int targetSsrc(byte[] b, int off, int index) {
        return Bytes.int32(b, entryOffset(off, index));
    }

    public static void setTargetSsrc(byte[] b, int off, int index, int ssrc) {
        Bytes.putInt32(b, entryOffset(off, index), ssrc);
    }

    /** Command sequence number, 8 bits; a repeated number is a retransmission of the same request. */
    public static int sequenceNumber(byte[] b, int off, int index) {
        return b[entryOffset(off, index) + 4] & 0xFF;
    }

    /** Writes a FIR with one entry. @return {@link #LENGTH_ONE_ENTRY}, or -1 if it does not fit */
    public static int write(byte[] buf, int off, int senderSsrc, int targetSsrc, int sequenceNumber) {
        if (!RtcpPacket.fits(buf, off, LENGTH_ONE_ENTRY)) {
            return -1;
        }
        RtcpFeedback.writeHeader(buf, off, RtcpPacket.FMT_FIR, RtcpPacket.PT_PSFB, LENGTH_ONE_ENTRY, senderSsrc, 0);
        int entry = entryOffset(off, 0);
        Bytes.putInt32(buf, entry, targetSsrc);
        Bytes.putInt32(buf, entry + 4, (sequenceNumber & 0xFF) << 24);
        return LENGTH_ONE_ENTRY;
    }

    private static int entryOffset(int off, int index) {
        return off + RtcpPacket.FEEDBACK_HEADER_LENGTH + index * ENTRY_LENGTH;
    }
}
