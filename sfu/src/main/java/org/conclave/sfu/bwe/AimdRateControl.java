package org.conclave.sfu.bwe;

/**
 * The delay-based rate controller of GCC (draft-ietf-rmcat-gcc-02 §5.6; libwebrtc aimd_rate_control.cc): a state
 * machine Hold / Increase / Decrease driven by the over-use detector. It increases multiplicatively (8 %/s) far from
 * the link capacity and additively near it, never beyond 1.5 × the acknowledged bitrate, and on over-use drops to
 * 0.85 × the acknowledged bitrate. Not thread-safe; no allocation.
 */
final class AimdRateControl {
    /** Multiplicative increase per second (GCC §5.6: eta = 1.08). */
    static final double INCREASE_FACTOR_PER_SECOND = 1.08;
    /** Smallest multiplicative step, bit/s (libwebrtc MultiplicativeRateIncrease). */
    static final long MIN_MULTIPLICATIVE_STEP_BPS = 1_000;
    /** Back-off on over-use, times the acknowledged bitrate (GCC §5.6: alpha = 0.85; kDefaultBackoffFactor). */
    static final double BACKOFF_FACTOR = 0.85;
    /** Increase cap: 1.5 × acknowledged bitrate + 10 kbit/s (libwebrtc troughput_based_limit). */
    static final double THROUGHPUT_LIMIT_FACTOR = 1.5;
    static final long THROUGHPUT_LIMIT_EXTRA_BPS = 10_000;
    /** RTT assumed in the response time: REMB and transport-cc do not tell the SFU its RTT (kDefaultRtt). */
    static final long ASSUMED_RTT_MS = 200;
    /** The over-use detector's own delay (GetNearMaxIncreaseRateBpsPerSecond), ms. */
    static final long DETECTOR_DELAY_MS = 100;
    /** Additive increase is about one average packet per response time, at least this (kMinIncreaseRateBpsPerSecond). */
    static final double MIN_ADDITIVE_INCREASE_BPS_PER_SECOND = 4_000;
    static final double FRAMES_PER_SECOND = 30;
    static final int PACKET_SIZE_BYTES = 1200;
    /**
     * No second decrease within this time of the last one unless throughput fell under half the estimate
     * (TimeToReduceFurther, which measures from any change with the real RTT; the SFU does not know the RTT).
     */
    static final long REDUCE_INTERVAL_MS = 200;

    private enum State { HOLD, INCREASE, DECREASE }

    private final long minBps;
    private final long maxBps;
    private final LinkCapacity capacity = new LinkCapacity();
    private State state = State.HOLD;
    private long currentBps;
    private long rttMs = ASSUMED_RTT_MS;
    private long lastChangeNanos;
    private boolean hasLastChange;
    private long lastDecreaseNanos;
    private boolean hasDecreased;

    AimdRateControl(long startBps, long minBps, long maxBps) {
        this.minBps = minBps;
        this.maxBps = maxBps;
        this.currentBps = clamp(startBps);
    }

    long estimateBps() {
        return currentBps;
    }

    /** A probe proved the path carries {@code bps}: jump there instead of climbing (libwebrtc does the same). */
    void raiseTo(long bps, long nowNanos) {
        if (bps <= currentBps) return;
        currentBps = clamp(bps);
        capacity.reset();
        markChange(nowNanos);
    }

    /** The measured round-trip time to the receiver; until set, {@link #ASSUMED_RTT_MS}. */
    void setRttMillis(long rttMs) {
        this.rttMs = Math.max(0, rttMs);
    }

    /**
     * Applies one detector verdict.
     *
     * @param ackedBps acknowledged bitrate, or -1 while unknown (then no increase and the decrease acts on the estimate)
     */
    long update(BandwidthUsage usage, long ackedBps, long nowNanos) {
        if (usage == BandwidthUsage.OVERUSING && !timeToReduce(ackedBps, nowNanos)) {
            return currentBps;
        }
        changeState(usage, nowNanos);
        long throughput = ackedBps >= 0 ? ackedBps : currentBps;
        switch (state) {
            case INCREASE: {
                if (ackedBps >= 0 && ackedBps > capacity.upperBoundBps()) {
                    capacity.reset();
                }
                long limit = (long) (THROUGHPUT_LIMIT_FACTOR * throughput) + THROUGHPUT_LIMIT_EXTRA_BPS;
                if (ackedBps >= 0 && currentBps < limit) {
                    double seconds = hasLastChange ? (nowNanos - lastChangeNanos) / 1e9 : 0;
                    long increased = capacity.hasEstimate()
                            ? currentBps + (long) (nearMaxIncreaseBpsPerSecond() * seconds)
                            : currentBps + multiplicativeStep(seconds);
                    currentBps = Math.min(increased, limit);
                }
                markChange(nowNanos);
                break;
            }
            case DECREASE: {
                long decreased = (long) (BACKOFF_FACTOR * throughput);
                if (decreased > currentBps && capacity.hasEstimate()) {
                    decreased = (long) (BACKOFF_FACTOR * capacity.estimateBps());
                }
                if (decreased < currentBps) {
                    currentBps = decreased;
                }
                if (throughput < capacity.lowerBoundBps()) {
                    capacity.reset();
                }
                capacity.onOveruse(throughput);
                // Stay on hold until the queues drained.
                state = State.HOLD;
                markChange(nowNanos);
                lastDecreaseNanos = nowNanos;
                hasDecreased = true;
                break;
            }
            default:
                break;
        }
        currentBps = clamp(currentBps);
        return currentBps;
    }

    private boolean timeToReduce(long ackedBps, long nowNanos) {
        if (!hasDecreased || nowNanos - lastDecreaseNanos >= REDUCE_INTERVAL_MS * 1_000_000) {
            return true;
        }
        return ackedBps >= 0 && ackedBps < currentBps / 2;
    }

    private void changeState(BandwidthUsage usage, long nowNanos) {
        switch (usage) {
            case NORMAL:
                if (state == State.HOLD) {
                    markChange(nowNanos);
                    state = State.INCREASE;
                }
                break;
            case OVERUSING:
                state = State.DECREASE;
                break;
            default:
                state = State.HOLD;
                break;
        }
    }

    private long multiplicativeStep(double seconds) {
        double alpha = Math.pow(INCREASE_FACTOR_PER_SECOND, Math.min(seconds, 1.0));
        return Math.max((long) (currentBps * (alpha - 1.0)), MIN_MULTIPLICATIVE_STEP_BPS);
    }

    /** About one packet per response time (libwebrtc GetNearMaxIncreaseRateBpsPerSecond). */
    private double nearMaxIncreaseBpsPerSecond() {
        double frameBits = currentBps / FRAMES_PER_SECOND;
        double packetsPerFrame = Math.ceil(frameBits / (PACKET_SIZE_BYTES * 8.0));
        double avgPacketBits = frameBits / Math.max(1, packetsPerFrame);
        double responseSeconds = 2 * (rttMs + DETECTOR_DELAY_MS) / 1000.0;
        return Math.max(MIN_ADDITIVE_INCREASE_BPS_PER_SECOND, avgPacketBits / responseSeconds);
    }

    private void markChange(long nowNanos) {
        lastChangeNanos = nowNanos;
        hasLastChange = true;
    }

    private long clamp(long bps) {
        return Math.max(minBps, Math.min(maxBps, bps));
    }
}
