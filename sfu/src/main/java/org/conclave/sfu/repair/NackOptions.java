package org.conclave.sfu.repair;

/**
 * Tunables of loss repair (config {@code sfu.nack.*}).
 *
 * @param cachePackets packets kept per outgoing stream for retransmission (a power of two; memory grows to it only
 *     as the stream's rate needs)
 * @param cacheMaxAgeMillis a cached packet older than this is not resent (the receiver's jitter buffer gave up)
 * @param resendIntervalMillis the same packet is resent at most once per this interval (about an RTT)
 * @param upstreamMaxMissing sequence numbers tracked as missing per incoming stream; beyond it the oldest are
 *     given up
 * @param upstreamMaxRetries NACKs sent to the sender per missing packet
 * @param upstreamRetryMillis time between NACKs for the same packet
 * @param upstreamMaxAgeMillis a missing packet is given up after this long
 * @param reorderPackets a gap is NACKed only once this many newer packets arrived after it...
 * @param reorderMillis ...or it has been missing this long, whichever comes first
 */
public record NackOptions(int cachePackets, long cacheMaxAgeMillis, long resendIntervalMillis, int upstreamMaxMissing,
        int upstreamMaxRetries, long upstreamRetryMillis, long upstreamMaxAgeMillis, int reorderPackets,
        long reorderMillis) {
    public static final int DEFAULT_CACHE_PACKETS = 512;
    public static final long DEFAULT_CACHE_MAX_AGE_MILLIS = 1_000;
    public static final long DEFAULT_RESEND_INTERVAL_MILLIS = 100;
    public static final int DEFAULT_UPSTREAM_MAX_MISSING = 256;
    /** libwebrtc's NackRequester gives up after 10 retries (kMaxNackRetries). */
    public static final int DEFAULT_UPSTREAM_MAX_RETRIES = 10;
    public static final long DEFAULT_UPSTREAM_RETRY_MILLIS = 100;
    public static final long DEFAULT_UPSTREAM_MAX_AGE_MILLIS = 1_000;
    public static final int DEFAULT_REORDER_PACKETS = 2;
    public static final long DEFAULT_REORDER_MILLIS = 10;

    public static final NackOptions DEFAULTS = new NackOptions(DEFAULT_CACHE_PACKETS, DEFAULT_CACHE_MAX_AGE_MILLIS,
            DEFAULT_RESEND_INTERVAL_MILLIS, DEFAULT_UPSTREAM_MAX_MISSING, DEFAULT_UPSTREAM_MAX_RETRIES,
            DEFAULT_UPSTREAM_RETRY_MILLIS, DEFAULT_UPSTREAM_MAX_AGE_MILLIS, DEFAULT_REORDER_PACKETS,
            DEFAULT_REORDER_MILLIS);

    public NackOptions {
        if (cachePackets < 1 || Integer.bitCount(cachePackets) != 1 || cachePackets > 32_768) {
            throw new IllegalArgumentException("cache size must be a power of two in 1..32768: " + cachePackets);
        }
        if (cacheMaxAgeMillis <= 0 || resendIntervalMillis < 0 || upstreamMaxMissing < 1 || upstreamMaxRetries < 1
                || upstreamRetryMillis < 0 || upstreamMaxAgeMillis <= 0 || reorderPackets < 1 || reorderMillis < 0) {
            throw new IllegalArgumentException("NACK limits out of range");
        }
    }
}
