package org.conclave.sfu.bwe;

/**
 * Delay-gradient filter and over-use detector of GCC as libwebrtc ships it (trendline_estimator.cc): the
 * inter-group delay variation is accumulated, exponentially smoothed, and a least-squares line is fitted over the
 * last {@link #WINDOW_SIZE} points; its slope, scaled, is compared with an adaptive threshold
 * (draft-ietf-rmcat-gcc-02 §5.4-5.5). Not thread-safe; no allocation after construction.
 */
final class TrendlineEstimator {
    /** Points in the linear fit (kDefaultTrendlineWindowSize). */
    static final int WINDOW_SIZE = 20;
    /** Smoothing of the accumulated delay (kDefaultTrendlineSmoothingCoeff). */
    static final double SMOOTHING_COEFF = 0.9;
    /** Slope scale before comparing with the threshold (kDefaultTrendlineThresholdGain). */
    static final double THRESHOLD_GAIN = 4.0;
    /** The slope is scaled by min(deltas seen, this) too, so early noise does not trip the detector (kMinNumDeltas). */
    static final int MIN_NUM_DELTAS = 60;
    static final int DELTA_COUNTER_MAX = 1000;
    /** Over-use must last this long, in send time, before it is signalled (kOverUsingTimeThreshold, ms). */
    static final double OVERUSING_TIME_THRESHOLD_MS = 10;
    /** Adaptive threshold: initial value, gains and bounds (GCC §5.5: gamma, K_u, K_d; libwebrtc clamps 6..600). */
    static final double INITIAL_THRESHOLD = 12.5;
    static final double K_UP = 0.0087;
    static final double K_DOWN = 0.039;
    static final double MIN_THRESHOLD = 6;
    static final double MAX_THRESHOLD = 600;
    /** Spikes further than this above the threshold do not adapt it (kMaxAdaptOffsetMs). */
    static final double MAX_ADAPT_OFFSET_MS = 15;
    /** Largest time step of one threshold update, ms (kMaxTimeDeltaMs). */
    static final long MAX_THRESHOLD_TIME_DELTA_MS = 100;

    private final double[] x = new double[WINDOW_SIZE];
    private final double[] y = new double[WINDOW_SIZE];
    private int head;
    private int points;

    private int numDeltas;
    private long firstArrivalMs = -1;
    private double accumulatedDelay;
    private double smoothedDelay;
    private double prevTrend;
    private double modifiedTrend;
    private double threshold = INITIAL_THRESHOLD;
    private long lastThresholdUpdateMs = -1;
    private double timeOverUsing = -1;
    private int overuseCounter;
    private BandwidthUsage state = BandwidthUsage.NORMAL;

    /** Feeds one inter-group delta pair; see {@link InterArrival}. */
    void update(double arrivalDeltaMs, double sendDeltaMs, long arrivalTimeMs) {
        double delta = arrivalDeltaMs - sendDeltaMs;
        numDeltas = Math.min(numDeltas + 1, DELTA_COUNTER_MAX);
        if (firstArrivalMs == -1) {
            firstArrivalMs = arrivalTimeMs;
        }
        accumulatedDelay += delta;
        smoothedDelay = SMOOTHING_COEFF * smoothedDelay + (1 - SMOOTHING_COEFF) * accumulatedDelay;
        x[head] = arrivalTimeMs - firstArrivalMs;
        y[head] = smoothedDelay;
        head = (head + 1) % WINDOW_SIZE;
        points = Math.min(points + 1, WINDOW_SIZE);
        double trend = prevTrend;
        if (points == WINDOW_SIZE) {
            trend = slopeOr(trend);
        }
        detect(trend, sendDeltaMs, arrivalTimeMs);
    }

    BandwidthUsage state() {
        return state;
    }

    /** The scaled slope last compared with the threshold. */
    double modifiedTrend() {
        return modifiedTrend;
    }

    double threshold() {
        return threshold;
    }

    private double slopeOr(double fallback) {
        double sumX = 0;
        double sumY = 0;
        for (int i = 0; i < WINDOW_SIZE; i++) {
            sumX += x[i];
            sumY += y[i];
        }
        double avgX = sumX / WINDOW_SIZE;
        double avgY = sumY / WINDOW_SIZE;
        double numerator = 0;
        double denominator = 0;
        for (int i = 0; i < WINDOW_SIZE; i++) {
            double dx = x[i] - avgX;
            numerator += dx * (y[i] - avgY);
            denominator += dx * dx;
        }
        return denominator == 0 ? fallback : numerator / denominator;
    }

    private void detect(double trend, double sendDeltaMs, long nowMs) {
        if (numDeltas < 2) {
            state = BandwidthUsage.NORMAL;
            return;
        }
        modifiedTrend = Math.min(numDeltas, MIN_NUM_DELTAS) * trend * THRESHOLD_GAIN;
        if (modifiedTrend > threshold) {
            if (timeOverUsing == -1) {
                // Assume over-use started half-way since the previous sample.
                timeOverUsing = sendDeltaMs / 2;
            } else {
                timeOverUsing += sendDeltaMs;
            }
            overuseCounter++;
            if (timeOverUsing > OVERUSING_TIME_THRESHOLD_MS && overuseCounter > 1 && trend >= prevTrend) {
                timeOverUsing = 0;
                overuseCounter = 0;
                state = BandwidthUsage.OVERUSING;
            }
        } else if (modifiedTrend < -threshold) {
            timeOverUsing = -1;
            overuseCounter = 0;
            state = BandwidthUsage.UNDERUSING;
        } else {
            timeOverUsing = -1;
            overuseCounter = 0;
            state = BandwidthUsage.NORMAL;
        }
        prevTrend = trend;
        updateThreshold(nowMs);
    }

    private void updateThreshold(long nowMs) {
        if (lastThresholdUpdateMs == -1) {
            lastThresholdUpdateMs = nowMs;
        }
        double magnitude = Math.abs(modifiedTrend);
        if (magnitude > threshold + MAX_ADAPT_OFFSET_MS) {
            // A sudden capacity drop must not raise the threshold and hide the next over-use.
            lastThresholdUpdateMs = nowMs;
            return;
        }
        double k = magnitude < threshold ? K_DOWN : K_UP;
        long dt = Math.max(0, Math.min(nowMs - lastThresholdUpdateMs, MAX_THRESHOLD_TIME_DELTA_MS));
        threshold += k * (magnitude - threshold) * dt;
        threshold = Math.max(MIN_THRESHOLD, Math.min(MAX_THRESHOLD, threshold));
        lastThresholdUpdateMs = nowMs;
    }
}
