package org.conclave.sfu.bwe;

/**
 * Tunables of a receiver's downlink estimate (config {@code sfu.rate_control.*}).
 *
 * @param minBitrateBps the estimate never goes below this
 * @param maxBitrateBps nor above this
 * @param startBitrateBps send-side estimate before any feedback; the SFU does not probe, so it climbs from here
 *     at 8 %/s
 * @param historyPackets packets remembered for transport-cc feedback (a power of two); feedback about older ones
 *     is ignored
 * @param estimateTimeoutMillis an estimate (REMB or transport-cc) not refreshed for this long no longer counts
 */
public record EstimatorOptions(long minBitrateBps, long maxBitrateBps, long startBitrateBps, int historyPackets,
        long estimateTimeoutMillis) {
    /** libwebrtc's floor for video is 30 kbit/s; below that a thumbnail cannot be sent either. */
    public static final long DEFAULT_MIN_BITRATE_BPS = 30_000;
    public static final long DEFAULT_MAX_BITRATE_BPS = 20_000_000;
    /** Above libwebrtc's 300 kbit/s start: without probing the SFU would keep everyone at thumbnails for seconds. */
    public static final long DEFAULT_START_BITRATE_BPS = 1_000_000;
    /** At 1000 packets/s to one receiver this is 4 s, far more than feedback takes. */
    public static final int DEFAULT_HISTORY_PACKETS = 4096;
    /** REMB comes about once a second from Chrome; transport-cc every 50-100 ms. */
    public static final long DEFAULT_ESTIMATE_TIMEOUT_MILLIS = 5_000;

    public static final EstimatorOptions DEFAULTS = new EstimatorOptions(DEFAULT_MIN_BITRATE_BPS,
            DEFAULT_MAX_BITRATE_BPS, DEFAULT_START_BITRATE_BPS, DEFAULT_HISTORY_PACKETS,
            DEFAULT_ESTIMATE_TIMEOUT_MILLIS);

    public EstimatorOptions {
        if (minBitrateBps <= 0 || maxBitrateBps < minBitrateBps) {
            throw new IllegalArgumentException("need 0 < min <= max bitrate: " + minBitrateBps + ", " + maxBitrateBps);
        }
        if (startBitrateBps < minBitrateBps || startBitrateBps > maxBitrateBps) {
            throw new IllegalArgumentException("start bitrate outside [min, max]: " + startBitrateBps);
        }
        if (historyPackets < 16 || Integer.bitCount(historyPackets) != 1) {
            throw new IllegalArgumentException("history must be a power of two >= 16: " + historyPackets);
        }
        if (estimateTimeoutMillis <= 0) {
            throw new IllegalArgumentException("estimate timeout must be positive: " + estimateTimeoutMillis);
        }
    }

    public EstimatorOptions withStartBitrate(long bps) {
        return new EstimatorOptions(minBitrateBps, maxBitrateBps, bps, historyPackets, estimateTimeoutMillis);
    }
}
