package org.conclave.sfu.sctp;

import java.util.concurrent.TimeUnit;

/** The retransmission timeout of RFC 9260 §6.3.1 from RTT samples, with exponential backoff (§6.3.3 E2). */
final class RtoEstimator {
    /** Shorter than the RFC's 1 s / 1 s / 60 s, as WebRTC stacks use: a data channel should notice loss quickly. */
    static final long INITIAL_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
    static final long MIN_NANOS = TimeUnit.MILLISECONDS.toNanos(200);
    static final long MAX_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final long GRANULARITY_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private long srtt = -1;
    private long rttvar;
    private long rto = INITIAL_NANOS;

    void measured(long rttNanos) {
        if (rttNanos < 0) return;
        if (srtt < 0) {
            srtt = rttNanos;
            rttvar = rttNanos / 2;
        } else {
            rttvar = (3 * rttvar + Math.abs(srtt - rttNanos)) / 4; // beta = 1/4
            srtt = (7 * srtt + rttNanos) / 8; // alpha = 1/8
        }
        rto = clamp(srtt + Math.max(4 * rttvar, GRANULARITY_NANOS));
    }

    void backoff() {
        rto = clamp(rto * 2);
    }

    long rto() {
        return rto;
    }

    /** The smoothed RTT, or -1 before the first sample. */
    long srtt() {
        return srtt;
    }

    private static long clamp(long v) {
        return Math.max(MIN_NANOS, Math.min(MAX_NANOS, v));
    }
}
