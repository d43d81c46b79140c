package org.conclave.sfu.bwe;

import org.conclave.sfu.rtcp.Remb;
import org.conclave.sfu.rtcp.Tmmbr;

/**
 * Writes what tells a sender how fast to send: TMMBR (RFC 5104 §4.2.1), one FCI entry per SSRC, when the sender
 * negotiated {@code a=rtcp-fb:* ccm tmmbr}; REMB otherwise (Chrome and Firefox apply it to their whole uplink, which
 * is why it lists every SSRC of the stream).
 */
public final class RateRequest {
    /**
     * Per-packet overhead declared in TMMBR: IPv4 (20) + UDP (8) + RTP fixed header (12) bytes; RFC 5104 §4.2.1.2
     * lets the sender subtract it from the packet rate it budgets.
     */
    public static final int TMMBR_OVERHEAD_BYTES = 40;

    private RateRequest() {
    }

    /**
     * @param sfuSsrc the SFU's RTCP sender SSRC toward this sender
     * @param mediaSsrcs the SSRCs of the stream being clamped (TMMBR gets one packet per SSRC)
     * @return bytes written (one or more RTCP packets, to put in a compound after an RR), or -1 if it does not fit
     */
    public static int write(byte[] buf, int off, int sfuSsrc, int[] mediaSsrcs, int count, long bitrateBps,
            boolean tmmbr) {
        if (!tmmbr) {
            return Remb.write(buf, off, sfuSsrc, bitrateBps, mediaSsrcs, count);
        }
        if (count <= 0 || count > mediaSsrcs.length) {
            return -1;
        }
        int n = 0;
        for (int i = 0; i < count; i++) {
            int written = Tmmbr.write(buf, off + n, sfuSsrc, mediaSsrcs[i], bitrateBps, TMMBR_OVERHEAD_BYTES);
            if (written < 0) {
                return -1;
            }
            n += written;
        }
        return n;
    }
}
