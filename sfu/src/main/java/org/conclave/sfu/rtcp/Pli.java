package org.conclave.sfu.rtcp;

/** Picture loss indication, PSFB FMT 1 (RFC 4585 §6.3.1): no FCI. */
public final class Pli {
    public static final int LENGTH = 12;

    private Pli() {
    }

    /** @return {@link #LENGTH}, or -1 if it does not fit */
    public static int write(byte[] buf, int off, int senderSsrc, int mediaSsrc) {
        if (!RtcpPacket.fits(buf, off, LENGTH)) {
            return -1;
        }
        RtcpFeedback.writeHeader(buf, off, RtcpPacket.FMT_PLI, RtcpPacket.PT_PSFB, LENGTH, senderSsrc, mediaSsrc);
        return LENGTH;
    }
}
