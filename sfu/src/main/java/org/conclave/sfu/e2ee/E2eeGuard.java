package org.conclave.sfu.e2ee;

import org.conclave.sfu.codec.CodecFamily;

/**
 * The end-to-end-encryption check of one endpoint in a conference that requires it (docs/protocol.md, "What the SFU
 * checks"). Every frame start of every stream of the endpoint must carry one of our SFrame headers (see
 * {@link SFrameHeaderReader}) consistent with the endpoint's one counter ({@link SenderCounter}). A new endpoint, or
 * one that just became subject to the check, is {@link E2eeState#LEARNING}: nothing of it is forwarded until
 * {@link #LEARNING_FRAMES} consecutive frame starts agree. Then it is {@link E2eeState#FORWARDING}: consistent frames
 * pass, others are refused with the rest of their frame. When {@link #HOLD_FAILURES} of the last {@link #HISTORY}
 * frame starts failed, the endpoint is {@link E2eeState#HELD} as not encrypting and nothing of it is forwarded until it
 * renegotiates ({@link #renegotiated}). Packet thread only; nothing is allocated per packet.
 */
public final class E2eeGuard {
    public static final int FORWARD = 0;
    public static final int REFUSE = 1;
    /** Forward; the endpoint just left probation, so its viewers need key frames. */
    public static final int FORWARD_TRUSTED = 2;
    /** Refuse; this packet made the endpoint held: tell the person, once. */
    public static final int REFUSE_HELD = 3;
    /** Drop a packet without payload (padding, probing the sender's uplink): no frame, not counted as refused. */
    public static final int DROP_PADDING = 4;

    /** What the person whose media is held is told (data channel, Matrix notice). */
    public static final String NOT_ENCRYPTING = "Your client is not encrypting media, and this conference requires "
            + "end-to-end encryption: nobody can see or hear you. Join again from a client that encrypts media "
            + "(such as Conclave Web).";

    /** Consecutive consistent frame starts before anything of an endpoint is forwarded. */
    public static final int LEARNING_FRAMES = 8;
    /** The endpoint is held when this many of the last {@link #HISTORY} frame starts failed. */
    public static final int HOLD_FAILURES = 16;
    static final int HISTORY = 32;

    private final SFrameHeaderReader header = new SFrameHeaderReader();
    private final SenderCounter counter = new SenderCounter();
    private E2eeState state = E2eeState.LEARNING;
    private int run;
    /** One bit per recent frame start, 1 = failed, newest lowest. */
    private int history;
    private long framesForwarded;
    private long framesRefused;
    private long packetsRefused;
    private long framesRefusedForwarding;
    private int holds;
    private long learningPasses;
    private int longestRun;

    public E2eeState state() {
        return state;
    }

    /** Frame starts forwarded (each frame counted once, also when its start was repaired). */
    public long framesForwarded() {
        return framesForwarded;
    }

    /** Frames refused: RTP timestamps of a stream of which at least one packet was refused. */
    public long framesRefused() {
        return framesRefused;
    }

    public long packetsRefused() {
        return packetsRefused;
    }

    /** Frames refused while the endpoint was forwarding: none for a client that encrypts correctly. */
    public long framesRefusedWhileForwarding() {
        return framesRefusedForwarding;
    }

    /** How often the endpoint was held. */
    public int holds() {
        return holds;
    }

    /**
     * Diagnostics of probation: frame starts that agreed with the run before them (the first of a run agrees with
     * nothing), and the longest run seen. A plaintext sender needs {@link #LEARNING_FRAMES} in a row to get through.
     */
    public long learningPasses() {
        return learningPasses;
    }

    public int longestRun() {
        return longestRun;
    }

    /** The endpoint offered again: a held endpoint gets another chance, from probation. */
    public void renegotiated() {
        if (state == E2eeState.HELD) startLearning();
    }

    private void startLearning() {
        state = E2eeState.LEARNING;
        counter.reset();
        run = 0;
        history = 0;
    }

    /**
     * Checks one RTP packet of a media stream of this endpoint.
     *
     * @param frames the stream's frames
     * @param codec the codec of the packet's payload type, null if unknown
     * @param retransmission the packet was restored from RTX
     * @return {@link #FORWARD}, {@link #FORWARD_TRUSTED}, {@link #REFUSE}, {@link #REFUSE_HELD} or
     *     {@link #DROP_PADDING}
     */
    public int check(StreamFrames frames, CodecFamily codec, int seq, long timestamp, byte[] b, int off,
            int len, boolean retransmission, long nowNanos) {
        if (state != E2eeState.FORWARDING) frames.untrusted(timestamp);
        if (codec == null || state == E2eeState.HELD) return refuse(frames, timestamp);
        long location = FrameLayout.locate(codec, b, off, len);
        if (location == FrameLayout.EMPTY) return DROP_PADDING;
        int slot = frames.find(timestamp);
        if (location == FrameLayout.NOT_FRAME_START) return continuation(frames, slot, timestamp);
        if (slot >= 0 && frames.state(slot) != StreamFrames.PENDING) {
            if (frames.startSeq(slot) == (seq & 0xFFFF)) {
                // The same start again (RTX, a duplicate): it keeps its verdict and proves nothing new.
                return frames.state(slot) == StreamFrames.ACCEPTED && state == E2eeState.FORWARDING
                        ? FORWARD : refuse(frames, timestamp);
            }
            // Encrypted frames have exactly one start (one H264 slice NAL, one VP8 partition start).
            return fail(frames, slot, timestamp, seq, false, nowNanos);
        }
        if (location == FrameLayout.MALFORMED) return fail(frames, slot, timestamp, seq, false, nowNanos);
        int at = FrameLayout.offset(location);
        boolean h264 = codec == CodecFamily.H264;
        boolean parsed = header.read(b, at, FrameLayout.end(location), h264, h264 && b[at - 1] == 0 ? 1 : 0);
        if (!parsed) return fail(frames, slot, timestamp, seq, false, nowNanos);
        int kid = header.kid();
        long ctr = header.counter();
        int verdict = counter.classify(kid, ctr, nowNanos);
        if (state == E2eeState.LEARNING) {
            boolean fits = verdict == SenderCounter.NEW && (!counter.started() || kid == counter.kid());
            if (!fits) {
                if (verdict == SenderCounter.SEEN && retransmission) return refuse(frames, timestamp);
                return fail(frames, slot, timestamp, seq, true, nowNanos);
            }
            if (counter.started()) learningPasses++;
            counter.record(kid, ctr, nowNanos);
            history <<= 1;
            longestRun = Math.max(longestRun, ++run);
            if (run < LEARNING_FRAMES) {
                frames.put(slot, timestamp, seq & 0xFFFF, StreamFrames.REFUSED);
                return refuse(frames, timestamp);
            }
            state = E2eeState.FORWARDING;
            frames.put(slot, timestamp, seq & 0xFFFF, StreamFrames.ACCEPTED);
            framesForwarded++;
            return FORWARD_TRUSTED;
        }
        if (verdict == SenderCounter.NEW) {
            counter.record(kid, ctr, nowNanos);
        } else if (verdict != SenderCounter.SEEN || !retransmission) {
            return fail(frames, slot, timestamp, seq, false, nowNanos);
        }
        // A retransmitted start of a frame whose counter was accepted before passes without changing anything.
        history <<= 1;
        frames.put(slot, timestamp, seq & 0xFFFF, StreamFrames.ACCEPTED);
        framesForwarded++;
        return FORWARD;
    }

    private int continuation(StreamFrames frames, int slot, long timestamp) {
        if (state != E2eeState.FORWARDING) return refuse(frames, timestamp);
        if (slot >= 0) return frames.state(slot) == StreamFrames.REFUSED ? refuse(frames, timestamp) : FORWARD;
        // A frame whose start has not come (lost, being repaired): the receiver needs the rest when it does, unless
        // the frame may be older than the trust (a plaintext frame of before the switch).
        if (frames.fromUntrustedTime(timestamp)) return refuse(frames, timestamp);
        frames.put(-1, timestamp, -1, StreamFrames.PENDING);
        return FORWARD;
    }

    /**
     * A frame start that an encrypting sender would not send. Learning starts over from it ({@code reseed}: with
     * its header as the first of a new sequence); enough of them hold the endpoint.
     */
    private int fail(StreamFrames frames, int slot, long timestamp, int seq, boolean reseed, long nowNanos) {
        frames.put(slot, timestamp, seq & 0xFFFF, StreamFrames.REFUSED);
        history = (history << 1) | 1;
        if (Integer.bitCount(history) >= HOLD_FAILURES) {
            state = E2eeState.HELD;
            holds++;
            refuse(frames, timestamp);
            return REFUSE_HELD;
        }
        if (state == E2eeState.LEARNING) {
            counter.reset();
            run = 0;
            if (reseed) {
                counter.record(header.kid(), header.counter(), nowNanos);
                run = 1;
                longestRun = Math.max(longestRun, 1);
            }
        }
        return refuse(frames, timestamp);
    }

    private int refuse(StreamFrames frames, long timestamp) {
        packetsRefused++;
        if (frames.countRefused(timestamp)) {
            framesRefused++;
            if (state == E2eeState.FORWARDING) framesRefusedForwarding++;
        }
        return REFUSE;
    }
}
