package org.conclave.sfu.bwe;

/**
 * The loss-based controller of GCC (draft-ietf-rmcat-gcc-02 §6; libwebrtc send_side_bandwidth_estimation.cc, the
 * classic one): loss above 10 % cuts the rate by half the loss fraction, loss under 2 % lets it grow 8 %/s, in
 * between it holds. Loss is measured over at least {@link #MIN_PACKETS} reported packets. Not thread-safe; no
 * allocation.
 */
final class LossBasedControl {
    /** GCC §6 thresholds. */
    static final double LOW_LOSS = 0.02;
    static final double HIGH_LOSS = 0.10;
    /** Cut on high loss: rate × (1 - 0.5 × loss) (GCC §6). */
    static final double LOSS_CUT_FACTOR = 0.5;
    static final double INCREASE_FACTOR_PER_SECOND = 1.08;
    /** Extra bit/s per increase, so very low rates still climb (libwebrtc: + 1 kbit/s). */
    static final long INCREASE_EXTRA_BPS = 1_000;
    /** Fewest packets a loss fraction is computed over (kLimitNumPackets). */
    static final int MIN_PACKETS = 20;
    /** Decreases at most this often: kBweDecreaseInterval 300 ms plus an RTT the SFU does not know (+ 100 ms). */
    static final long DECREASE_INTERVAL_NS = 400_000_000L;

    private final long minBps;
    private final long maxBps;
    private long currentBps;
    private int lost;
    private int expected;
    private double lastLossFraction;
    private long lastUpdateNanos;
    private boolean hasUpdate;
    private long lastDecreaseNanos;
    private boolean hasDecreased;

    LossBasedControl(long startBps, long minBps, long maxBps) {
        this.minBps = minBps;
        this.maxBps = maxBps;
        this.currentBps = startBps;
    }

    long estimateBps() {
        return currentBps;
    }

    void raiseTo(long bps) {
        if (bps > currentBps) currentBps = Math.min(maxBps, bps);
    }

    /** Loss fraction of the last completed measurement (0 before one). */
    double lossFraction() {
        return lastLossFraction;
    }

    /**
     * Adds one feedback's counts and, once enough packets were reported, updates the estimate.
     *
     * @param combinedBps the estimate actually in use (min of delay and loss based): a cut applies to what is sent
     */
    void onReport(int lostPackets, int expectedPackets, long combinedBps, long nowNanos) {
        lost += lostPackets;
        expected += expectedPackets;
        if (expected < MIN_PACKETS) {
            return;
        }
        double loss = (double) lost / expected;
        lastLossFraction = loss;
        lost = 0;
        expected = 0;
        if (loss < LOW_LOSS) {
            double seconds = hasUpdate ? Math.min(1.0, (nowNanos - lastUpdateNanos) / 1e9) : 0;
            long grown = (long) (currentBps * Math.pow(INCREASE_FACTOR_PER_SECOND, seconds))
                    + (long) (INCREASE_EXTRA_BPS * seconds);
            currentBps = Math.max(currentBps, grown);
        } else if (loss > HIGH_LOSS && (!hasDecreased || nowNanos - lastDecreaseNanos >= DECREASE_INTERVAL_NS)) {
            currentBps = (long) (Math.min(currentBps, combinedBps) * (1 - LOSS_CUT_FACTOR * loss));
            lastDecreaseNanos = nowNanos;
            hasDecreased = true;
        }
        currentBps = Math.max(minBps, Math.min(maxBps, currentBps));
        lastUpdateNanos = nowNanos;
        hasUpdate = true;
    }
}
