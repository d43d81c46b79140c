package org.conclave.keyexchange.keys;

/**
 * When a sender makes, uses and re-sends keys.
 *
 * @param makeKeyDelayMillis      after a member leaves, wait this long before making the new key (several leaves in a
 *                                row then cost one rotation)
 * @param useKeyDelayMillis       after sending a new key, keep encrypting with the old one this long, so every
 *                                receiver has the new key before the first frame needs it
 * @param resendMinIntervalMillis at most one re-send of the current key to joiners per interval
 * @param rotationPeriodMillis    make a new key when the current one has been in use this long, even if nobody left
 */
public record KeyTimings(long makeKeyDelayMillis, long useKeyDelayMillis, long resendMinIntervalMillis,
                         long rotationPeriodMillis) {
    public static final long MAKE_KEY_DELAY_MILLIS = 3_000;
    public static final long USE_KEY_DELAY_MILLIS = 5_000;
    public static final long RESEND_MIN_INTERVAL_MILLIS = 1_000;
    public static final long ROTATION_PERIOD_MILLIS = 10 * 60_000;

    /** Element Call's delays (3 s, 5 s) with a 1 s re-send throttle and a 10 min rotation period. */
    public static final KeyTimings DEFAULT = new KeyTimings(MAKE_KEY_DELAY_MILLIS, USE_KEY_DELAY_MILLIS,
            RESEND_MIN_INTERVAL_MILLIS, ROTATION_PERIOD_MILLIS);

    public KeyTimings {
        if (makeKeyDelayMillis < 0 || useKeyDelayMillis < 0 || resendMinIntervalMillis < 0
                || rotationPeriodMillis <= 0) {
            throw new IllegalArgumentException("key timings must not be negative, and the period must be positive");
        }
    }
}
