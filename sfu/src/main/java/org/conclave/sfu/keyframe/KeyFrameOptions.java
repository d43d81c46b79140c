package org.conclave.sfu.keyframe;

/**
 * Tunables of key-frame request relaying (config {@code sfu.keyframes.*}); defaults are Jitsi Videobridge's.
 *
 * @param sourceIntervalMillis at most one PLI/FIR upstream per source per this interval
 * @param receiverMaxRequests a receiver may cause at most this many requests per window
 * @param receiverWindowMillis that window
 * @param receiverMinSpacingMillis and they must be at least this far apart
 */
public record KeyFrameOptions(long sourceIntervalMillis, int receiverMaxRequests, long receiverWindowMillis,
        long receiverMinSpacingMillis) {
    public static final long DEFAULT_SOURCE_INTERVAL_MILLIS = 200;
    public static final int DEFAULT_RECEIVER_MAX_REQUESTS = 3;
    public static final long DEFAULT_RECEIVER_WINDOW_MILLIS = 10_000;
    public static final long DEFAULT_RECEIVER_MIN_SPACING_MILLIS = 200;

    public static final KeyFrameOptions DEFAULTS = new KeyFrameOptions(DEFAULT_SOURCE_INTERVAL_MILLIS,
            DEFAULT_RECEIVER_MAX_REQUESTS, DEFAULT_RECEIVER_WINDOW_MILLIS, DEFAULT_RECEIVER_MIN_SPACING_MILLIS);

    public KeyFrameOptions {
        if (sourceIntervalMillis < 0 || receiverMaxRequests < 1 || receiverWindowMillis < 0
                || receiverMinSpacingMillis < 0) {
            throw new IllegalArgumentException("key-frame limits must be non-negative, max requests >= 1");
        }
    }
}
