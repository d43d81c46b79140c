package org.conclave.sfu.rtcp;

import org.conclave.sfu.rtp.Bytes;

/** Common header of RTPFB/PSFB feedback (RFC 4585 §6.1): sender SSRC at 4, media source SSRC at 8. */
public final class RtcpFeedback {
    private RtcpFeedback() {
    }

    public static int senderSsrc(byte[] b, int off) {
        return Bytes.int32(b, off + 4);
    }

    public static int mediaSsrc(byte[] b, int off) {
        return Bytes.int32(b, off + 8);
    }

    public static void setMediaSsrc(byte[] b, int off, int ssrc) {
        Bytes.putInt32(b, off + 8, ssrc);
    }

    /**
     * Points a PLI, NACK or FIR at another media SSRC in place (the SFU forwards a receiver's request to the source
     * it maps to). For a FIR, whose media SSRC field is unused, every FCI entry's SSRC is rewritten: a receiver's FIR
     * names the one stream it wants refreshed.
     *
     * @return false (nothing changed) for any other kind or a malformed packet
     */
    public static boolean rewriteMediaSsrc(byte[] b, int off, int len, int newSsrc) {
        switch (RtcpPacket.kind(b, off, len)) {
            case PLI:
            case NACK:
                setMediaSsrc(b, off, newSsrc);
                return true;
            case FIR:
                for (int i = Fir.entryCount(b, off, len) - 1; i >= 0; i--) {
                    Fir.setTargetSsrc(b, off, i, newSsrc);
                }
                return true;
            default:
                return false;
        }
    }

    /** Writes the 12-byte common feedback header for a packet of {@code totalLength} bytes. */
    static void writeHeader(byte[] buf, int off, int fmt, int packetType, int totalLength, int senderSsrc,
                            int mediaSsrc) {
        RtcpPacket.writeHeader(buf, off, fmt, packetType, totalLength);
        Bytes.putInt32(buf, off + 4, senderSsrc);
        Bytes.putInt32(buf, off + 8, mediaSsrc);
    }

    /** FCI bytes of a packet, padding excluded. */
    static int fciLength(byte[] b, int off, int len) {
        return len - RtcpPacket.paddingLength(b, off, len) - RtcpPacket.FEEDBACK_HEADER_LENGTH;
    }
}
