package org.conclave.sfu.e2ee;

/**
 * The SFrame counter of one sender as the SFU sees it across all of the sender's streams (audio, video, every
 * simulcast layer and screen share take their counters from one counter per endpoint): which key id it writes, the
 * highest counter seen, and which of the last {@link #BACKWARD_WINDOW} counters were seen. A frame is consistent
 * with an encrypting sender when its key id is the current one (or the previous one, for frames older than the key
 * change), and its counter is new and close to the highest: at most {@link #BACKWARD_WINDOW} behind, or ahead by no
 * more than the sender can have produced since ({@link #FORWARD_SLACK} plus {@link #MAX_FRAMES_PER_SECOND} per
 * second). Packet thread only; no allocation after construction.
 */
final class SenderCounter {
    /** Frames may arrive this many counters late (reordering across paced streams, repairs of lost frame starts). */
    static final int BACKWARD_WINDOW = 8192;
    /** A frame may be this far ahead of the highest counter, plus what the time since then allows. */
    static final long FORWARD_SLACK = 1024;
    /** More frames than this per second, all streams together, no sender produces (3 × 60 fps video + 2.5 ms Opus). */
    static final long MAX_FRAMES_PER_SECOND = 1000;
    /** A new key index is at most this far ahead of the current one (mod 256): indexes count up per new key. */
    static final int MAX_KID_STEP = 16;

    static final int NEW = 0;
    static final int SEEN = 1;
    static final int INCONSISTENT = 2;

    private final long[] seen = new long[BACKWARD_WINDOW / 64];
    private boolean started;
    private long highest;
    private long highestNanos;
    private int kid;
    private int previousKid = -1;
    /** The lowest counter seen with the current key id: frames of the previous key are older than it. */
    private long lowestOfKid;

    boolean started() {
        return started;
    }

    long highest() {
        return highest;
    }

    int kid() {
        return kid;
    }

    /** Forgets everything: the next {@link #record} starts a new sequence. */
    void reset() {
        started = false;
        previousKid = -1;
        java.util.Arrays.fill(seen, 0);
    }

    /**
     * Whether a frame with this key id and counter could come from this sender now: {@link #NEW}, {@link #SEEN} (a
     * counter already recorded: a retransmitted frame start, or a replay) or {@link #INCONSISTENT}. Changes nothing.
     */
    int classify(int frameKid, long ctr, long nowNanos) {
        if (!started) return NEW;
        if (ctr > highest) {
            long elapsedMillis = Math.max(0, (nowNanos - highestNanos) / 1_000_000);
            long allowed = FORWARD_SLACK + Math.min(elapsedMillis, 3_600_000) * MAX_FRAMES_PER_SECOND / 1000;
            if (ctr - highest > allowed) return INCONSISTENT;
            if (frameKid == kid) return NEW;
            // A key change: every frame from the change on carries the new key, so it is newer than all seen.
            int step = (frameKid - kid) & 0xFF;
            return step >= 1 && step <= MAX_KID_STEP ? NEW : INCONSISTENT;
        }
        if (highest - ctr >= BACKWARD_WINDOW) return INCONSISTENT;
        boolean keyFits = frameKid == kid || (frameKid == previousKid && ctr < lowestOfKid);
        if (!keyFits) return INCONSISTENT;
        return isSeen(ctr) ? SEEN : NEW;
    }

    /** Records a frame {@link #classify} found {@link #NEW} (or the first of a sequence). */
    void record(int frameKid, long ctr, long nowNanos) {
        if (!started) {
            started = true;
            highest = ctr;
            highestNanos = nowNanos;
            kid = frameKid;
            lowestOfKid = ctr;
            java.util.Arrays.fill(seen, 0);
            mark(ctr);
            return;
        }
        if (frameKid != kid && ctr > highest) {
            previousKid = kid;
            kid = frameKid;
            lowestOfKid = ctr;
        } else if (frameKid == kid && ctr < lowestOfKid) {
            lowestOfKid = ctr;
        }
        if (ctr > highest) {
            long advance = ctr - highest;
            if (advance >= BACKWARD_WINDOW) {
                java.util.Arrays.fill(seen, 0);
            } else {
                for (long c = highest + 1; c < ctr; c++) clear(c);
            }
            highest = ctr;
            highestNanos = nowNanos;
        }
        mark(ctr);
    }

    private boolean isSeen(long ctr) {
        int bit = (int) (ctr & (BACKWARD_WINDOW - 1));
        return (seen[bit >>> 6] & (1L << bit)) != 0;
    }

    private void mark(long ctr) {
        int bit = (int) (ctr & (BACKWARD_WINDOW - 1));
        seen[bit >>> 6] |= 1L << bit;
    }

    private void clear(long ctr) {
        int bit = (int) (ctr & (BACKWARD_WINDOW - 1));
        seen[bit >>> 6] &= ~(1L << bit);
    }
}
