package org.conclave.sfu.e2ee;

/**
 * Per incoming stream: in a conference that requires end-to-end encryption, lets a frame through only when its first
 * packet carries one of our SFrame headers at the codec's position and the header's counter moves forward by a
 * plausible step; the rest of a refused frame (same RTP timestamp) is refused too. Packet thread only.
 */
public final class E2eeGuard {
    /** Frames a sender may lose or skip between two that reach us, in counter steps. */
    static final long MAX_COUNTER_STEP = 4096;

    private final FrameLayout.Codec[] codecs;
    private final byte[] scratch = new byte[SFrameHeaderCheck.MAX_HEADER];
    private boolean haveCounter;
    private long lastCounter;
    private boolean frameRefused;
    private long refusedTimestamp;

    /** @param codecs the codec of each payload type (index 0..127), null where unknown */
    public E2eeGuard(FrameLayout.Codec[] codecs) {
        this.codecs = codecs;
    }

    /**
     * @param payloadOff absolute offset of the RTP payload
     * @return whether to forward the packet
     */
    public boolean accept(int payloadType, long rtpTimestamp, byte[] b, int payloadOff, int payloadLen) {
        FrameLayout.Codec codec = codecs[payloadType];
        if (codec == null) return false;
        int at = FrameLayout.headerOffset(codec, b, payloadOff, payloadLen);
        if (at == FrameLayout.NOT_FRAME_START) {
            return !(frameRefused && rtpTimestamp == refusedTimestamp);
        }
        long ctr = at < 0 ? -1 : SFrameHeaderCheck.counter(b, at, payloadOff + payloadLen,
                codec == FrameLayout.Codec.H264, scratch);
        boolean ok = ctr >= 0 && (!haveCounter || (ctr > lastCounter && ctr - lastCounter <= MAX_COUNTER_STEP));
        if (ok) {
            haveCounter = true;
            lastCounter = ctr;
            frameRefused = false;
        } else {
            frameRefused = true;
            refusedTimestamp = rtpTimestamp;
        }
        return ok;
    }
}
