package org.conclave.sfu.sctp;

/**
 * The congestion window of RFC 9260 §7.2 for our single path: slow start, congestion avoidance with
 * partial_bytes_acked, halving on fast retransmit (once per fast recovery) and collapse to one MTU on T3 timeout.
 */
final class CongestionControl {
    private final int mtu;
    private long cwnd;
    private long ssthresh;
    private long partialBytesAcked;
    private boolean fastRecovery;
    private long fastRecoveryExit;

    CongestionControl(int mtu, long peerRwnd) {
        this.mtu = mtu;
        this.cwnd = Math.min(4L * mtu, Math.max(2L * mtu, 4380));
        this.ssthresh = Math.max(peerRwnd, 4L * mtu);
    }

    long cwnd() {
        return cwnd;
    }

    long ssthresh() {
        return ssthresh;
    }

    boolean inFastRecovery() {
        return fastRecovery;
    }

    /**
     * After a SACK. {@code flightBefore} is the outstanding bytes before it: the window only grows while it is being
     * used, so an application-limited sender does not inflate it.
     */
    void onAck(long bytesAcked, boolean cumulativeAdvanced, long flightBefore, long cumulativeAck, long flightAfter) {
        if (fastRecovery && cumulativeAck >= fastRecoveryExit) fastRecovery = false;
        if (flightAfter == 0) partialBytesAcked = 0;
        if (!cumulativeAdvanced || fastRecovery) return;
        boolean fullyUsed = flightBefore + mtu > cwnd;
        if (cwnd <= ssthresh) {
            if (fullyUsed) cwnd += Math.min(bytesAcked, mtu);
        } else {
            partialBytesAcked += bytesAcked;
            if (partialBytesAcked >= cwnd && fullyUsed) {
                partialBytesAcked -= cwnd;
                cwnd += mtu;
            }
        }
    }

    /** Entering fast retransmit; {@code highestOutstanding} ends the recovery once cumulatively acked. */
    void onFastRetransmit(long highestOutstanding) {
        if (fastRecovery) return;
        ssthresh = Math.max(cwnd / 2, 4L * mtu);
        cwnd = ssthresh;
        partialBytesAcked = 0;
        fastRecovery = true;
        fastRecoveryExit = highestOutstanding;
    }

    void onTimeout() {
        ssthresh = Math.max(cwnd / 2, 4L * mtu);
        cwnd = mtu;
        partialBytesAcked = 0;
        fastRecovery = false;
    }
}
