package org.conclave.sfu.e2ee;

/**
 * Per incoming stream: in a conference that requires end-to-end encryption, lets a frame through only when its first
 * packet carries one of our SFrame headers at the codec's position and the header's counter moves forward by a
 * plausible step; the rest of a refused frame (same RTP timestamp) is refused too. A stream's first well-formed frame
 * has no counter to compare with ({@link #PROBATION}): it is held back, so plaintext that looks like a header once
 * must also advance like a counter before anything of it is forwarded. Packet thread only.
 */
public final class E2eeGuard {
    public static final int FORWARD = 1;
    public static final int DROP = 0;
    /** The first well-formed frame of the stream: its counter is learnt, nothing to compare it with yet. */
    public static final int PROBATION = -1;

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
     * @return {@link #FORWARD}, {@link #DROP} or {@link #PROBATION}
     */
    public int check(int payloadType, long rtpTimestamp, byte[] b, int payloadOff, int payloadLen) {
        FrameLayout.Codec codec = codecs[payloadType];
        if (codec == null) return DROP;
        int at = FrameLayout.headerOffset(codec, b, payloadOff, payloadLen);
        if (at == FrameLayout.NOT_FRAME_START) {
            return frameRefused && rtpTimestamp == refusedTimestamp ? DROP : FORWARD;
        }
        long ctr = at < 0 ? -1 : SFrameHeaderCheck.counter(b, at, payloadOff + payloadLen,
                codec == FrameLayout.Codec.H264, scratch);
        int verdict;
        if (ctr < 0) {
            verdict = DROP;
        } else if (!haveCounter) {
            haveCounter = true;
            lastCounter = ctr;
            verdict = PROBATION;
        } else if (ctr > lastCounter && ctr - lastCounter <= MAX_COUNTER_STEP) {
            lastCounter = ctr;
            verdict = FORWARD;
        } else {
            verdict = DROP;
        }
        frameRefused = verdict != FORWARD;
        refusedTimestamp = rtpTimestamp;
        return verdict;
    }

    /**
     * A retransmission (restored from RTX). A frame start with a counter already seen (at most
     * {@link #MAX_COUNTER_STEP} back) passes and leaves the stream's state as it is; one with a newer counter is the
     * first sighting of that frame (its original was lost on the way to us, the usual case of a repaired start) and
     * is checked like any frame start. A later part of a frame passes once the stream has passed probation.
     */
    public int checkRetransmission(int payloadType, long rtpTimestamp, byte[] b, int payloadOff, int payloadLen) {
        FrameLayout.Codec codec = codecs[payloadType];
        if (codec == null || !haveCounter) return DROP;
        int at = FrameLayout.headerOffset(codec, b, payloadOff, payloadLen);
        if (at == FrameLayout.NOT_FRAME_START) return FORWARD;
        long ctr = at < 0 ? -1 : SFrameHeaderCheck.counter(b, at, payloadOff + payloadLen,
                codec == FrameLayout.Codec.H264, scratch);
        if (ctr > lastCounter) return check(payloadType, rtpTimestamp, b, payloadOff, payloadLen);
        return ctr >= 0 && lastCounter - ctr <= MAX_COUNTER_STEP ? FORWARD : DROP;
    }

    /** Whether to forward the packet (only frames that passed; the probation frame is held back). */
    public boolean accept(int payloadType, long rtpTimestamp, byte[] b, int payloadOff, int payloadLen) {
        return check(payloadType, rtpTimestamp, b, payloadOff, payloadLen) == FORWARD;
    }
}
