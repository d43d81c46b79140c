package org.conclave.sfu.bwe;

/**
 * Running estimate of the link capacity from the throughput measured at each over-use, with a normalized deviation
 * (libwebrtc link_capacity_estimator.cc). Near it, rate control increases additively instead of multiplicatively.
 */
final class LinkCapacity {
    /** Weight of a new over-use sample. */
    static final double ALPHA = 0.05;
    /** Bounds of the normalized variance, kbit/s: 0.4 ~ 14 kbit/s and 2.5 ~ 35 kbit/s of deviation at 500 kbit/s. */
    static final double MIN_DEVIATION_KBPS = 0.4;
    static final double MAX_DEVIATION_KBPS = 2.5;
    /** The band counted as "near capacity" is this many deviations wide on each side. */
    static final double DEVIATIONS = 3;

    private double estimateKbps = -1;
    private double deviationKbps = MIN_DEVIATION_KBPS;

    boolean hasEstimate() {
        return estimateKbps >= 0;
    }

    void reset() {
        estimateKbps = -1;
    }

    void onOveruse(long throughputBps) {
        double sample = throughputBps / 1000.0;
        estimateKbps = estimateKbps < 0 ? sample : (1 - ALPHA) * estimateKbps + ALPHA * sample;
        double norm = Math.max(estimateKbps, 1.0);
        double error = estimateKbps - sample;
        deviationKbps = (1 - ALPHA) * deviationKbps + ALPHA * error * error / norm;
        deviationKbps = Math.max(MIN_DEVIATION_KBPS, Math.min(MAX_DEVIATION_KBPS, deviationKbps));
    }

    /** @return the estimate in bit/s, or -1 without one */
    long estimateBps() {
        return estimateKbps < 0 ? -1 : (long) (estimateKbps * 1000);
    }

    long upperBoundBps() {
        return estimateKbps < 0 ? Long.MAX_VALUE : (long) ((estimateKbps + DEVIATIONS * deviationKbps()) * 1000);
    }

    long lowerBoundBps() {
        return estimateKbps < 0 ? 0 : Math.max(0, (long) ((estimateKbps - DEVIATIONS * deviationKbps()) * 1000));
    }

    private double deviationKbps() {
        return Math.sqrt(deviationKbps * estimateKbps);
    }
}
