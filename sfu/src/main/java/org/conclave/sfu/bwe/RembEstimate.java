package org.conclave.sfu.bwe;

import org.conclave.sfu.rtcp.Remb;
import org.conclave.sfu.rtcp.RtcpKind;
import org.conclave.sfu.rtcp.RtcpPacket;

/**
 * The latest REMB (draft-alvestrand-rmcat-remb-03) of one receiver: its own estimate of its downlink and the SSRCs it
 * says the estimate covers. libwebrtc treats the SSRC list as informational and the bitrate as the total for the
 * connection; so does this. One per receiver, packet thread only; no allocation after construction.
 */
public final class RembEstimate {
    private final int[] ssrcs = new int[Remb.MAX_SSRCS];
    private int ssrcCount;
    private long bitrateBps = -1;
    private long receivedNanos;

    /**
     * Reads one RTCP packet (not a compound).
     *
     * @return false (nothing changed) if it is not a well-formed REMB
     */
    public boolean onRemb(byte[] b, int off, int len, long nowNanos) {
        if (RtcpPacket.kind(b, off, len) != RtcpKind.REMB) {
            return false;
        }
        bitrateBps = Remb.bitrate(b, off);
        ssrcCount = Remb.ssrcCount(b, off);
        for (int i = 0; i < ssrcCount; i++) {
            ssrcs[i] = Remb.ssrc(b, off, i);
        }
        receivedNanos = nowNanos;
        return true;
    }

    /** Latest REMB bitrate, bit/s, or -1 before the first. */
    public long bitrateBps() {
        return bitrateBps;
    }

    public boolean hasEstimate() {
        return bitrateBps >= 0;
    }

    /** Whether a REMB arrived within {@code timeoutNanos}. */
    public boolean isFresh(long nowNanos, long timeoutNanos) {
        return bitrateBps >= 0 && nowNanos - receivedNanos <= timeoutNanos;
    }

    public long receivedNanos() {
        return receivedNanos;
    }

    public int ssrcCount() {
        return ssrcCount;
    }

    public int ssrc(int index) {
        if (index < 0 || index >= ssrcCount) {
            throw new IndexOutOfBoundsException(index);
        }
        return ssrcs[index];
    }

    /** Whether the latest REMB lists {@code ssrc}. */
    public boolean covers(int ssrc) {
        for (int i = 0; i < ssrcCount; i++) {
            if (ssrcs[i] == ssrc) {
                return true;
            }
        }
        return false;
    }
}
