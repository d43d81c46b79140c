package org.conclave.sfu.bwe;

/**
 * Groups acknowledged packets into send-time groups and yields, per completed pair of groups, the send-time delta and
 * the arrival-time delta (GCC draft-ietf-rmcat-gcc-02 §5.2; libwebrtc inter_arrival_delta.cc). Packets must come in
 * send order (transport-wide sequence order); a packet sent before the current group started is ignored.
 * Not thread-safe; no allocation.
 */
final class InterArrival {
    /** A group is the packets sent within 5 ms of its first packet (libwebrtc kSendTimeGroupLength). */
    static final long GROUP_LENGTH_NS = 5_000_000;
    /** Arrival deltas this much larger than send deltas mean the receiver's clock jumped (kArrivalTimeOffsetThreshold). */
    static final long ARRIVAL_OFFSET_RESET_US = 3_000_000;
    /** Consecutive groups arriving before their predecessor reset the state (kReorderedResetThreshold). */
    static final int REORDERED_RESET_COUNT = 3;

    private boolean hasCurrent;
    private long curFirstSendNs;
    private long curLastSendNs;
    private long curLastArrivalUs;
    private boolean hasPrevious;
    private long prevLastSendNs;
    private long prevLastArrivalUs;
    private int reordered;

    private double sendDeltaMs;
    private double arrivalDeltaMs;
    private long arrivalTimeMs;

    /** @return true when a group completed and {@link #sendDeltaMs}/{@link #arrivalDeltaMs} hold new deltas */
    boolean add(long sendNs, long arrivalUs) {
        if (!hasCurrent) {
            startGroup(sendNs, arrivalUs);
            return false;
        }
        if (sendNs < curFirstSendNs) {
            return false;
        }
        if (sendNs - curFirstSendNs <= GROUP_LENGTH_NS) {
            curLastSendNs = Math.max(curLastSendNs, sendNs);
            curLastArrivalUs = Math.max(curLastArrivalUs, arrivalUs);
            return false;
        }
        boolean ready = false;
        if (hasPrevious) {
            long sendDeltaNs = curLastSendNs - prevLastSendNs;
            long arrivalDeltaUs = curLastArrivalUs - prevLastArrivalUs;
            if (arrivalDeltaUs - sendDeltaNs / 1000 >= ARRIVAL_OFFSET_RESET_US) {
                reset();
                startGroup(sendNs, arrivalUs);
                return false;
            }
            if (arrivalDeltaUs < 0) {
                if (++reordered >= REORDERED_RESET_COUNT) {
                    reset();
                    startGroup(sendNs, arrivalUs);
                    return false;
                }
            } else {
                reordered = 0;
                sendDeltaMs = sendDeltaNs / 1e6;
                arrivalDeltaMs = arrivalDeltaUs / 1e3;
                arrivalTimeMs = curLastArrivalUs / 1000;
                ready = true;
            }
        }
        hasPrevious = true;
        prevLastSendNs = curLastSendNs;
        prevLastArrivalUs = curLastArrivalUs;
        startGroup(sendNs, arrivalUs);
        return ready;
    }

    double sendDeltaMs() {
        return sendDeltaMs;
    }

    double arrivalDeltaMs() {
        return arrivalDeltaMs;
    }

    /** Arrival time of the completed group's last packet, ms on the receiver's clock. */
    long arrivalTimeMs() {
        return arrivalTimeMs;
    }

    void reset() {
        hasCurrent = false;
        hasPrevious = false;
        reordered = 0;
    }

    private void startGroup(long sendNs, long arrivalUs) {
        hasCurrent = true;
        curFirstSendNs = sendNs;
        curLastSendNs = sendNs;
        curLastArrivalUs = arrivalUs;
    }
}
