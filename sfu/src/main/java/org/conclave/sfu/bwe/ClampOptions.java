package org.conclave.sfu.bwe;

/**
 * Tunables of sender clamping (config {@code sfu.rate_control.*}).
 *
 * @param floorBps viewers whose estimate is below this are moved to the thumbnail and not waited for
 * @param recoverFactor a demoted viewer returns when above {@code floorBps × recoverFactor}
 * @param enterFloorMillis how long a viewer must stay below the floor before it is demoted
 * @param leaveFloorMillis how long a demoted viewer must stay above the recovery level before it returns
 * @param changeThreshold a new request is sent when it differs from the last one by more than this fraction
 * @param refreshMillis otherwise the last request is repeated this often (REMB/TMMBR are soft state)
 * @param minRequestBps never ask a sender for less
 * @param maxRequestBps never ask for more (the full-res layer's ceiling); also asked when nobody limits it
 */
public record ClampOptions(long floorBps, double recoverFactor, long enterFloorMillis, long leaveFloorMillis,
        double changeThreshold, long refreshMillis, long minRequestBps, long maxRequestBps) {
    /** Below ~250 kbit/s a 720p stream is unwatchable; a thumbnail (~150 kbit/s) still works. */
    public static final long DEFAULT_FLOOR_BPS = 250_000;
    public static final double DEFAULT_RECOVER_FACTOR = 1.2;
    public static final long DEFAULT_ENTER_FLOOR_MILLIS = 2_000;
    public static final long DEFAULT_LEAVE_FLOOR_MILLIS = 3_000;
    public static final double DEFAULT_CHANGE_THRESHOLD = 0.05;
    /** Chrome sends REMB about once a second; so do we. */
    public static final long DEFAULT_REFRESH_MILLIS = 1_000;
    public static final long DEFAULT_MIN_REQUEST_BPS = 100_000;
    /** Chrome's own ceiling for a 720p simulcast layer is 2.5 Mbit/s. */
    public static final long DEFAULT_MAX_REQUEST_BPS = 2_500_000;

    public static final ClampOptions DEFAULTS = new ClampOptions(DEFAULT_FLOOR_BPS, DEFAULT_RECOVER_FACTOR,
            DEFAULT_ENTER_FLOOR_MILLIS, DEFAULT_LEAVE_FLOOR_MILLIS, DEFAULT_CHANGE_THRESHOLD, DEFAULT_REFRESH_MILLIS,
            DEFAULT_MIN_REQUEST_BPS, DEFAULT_MAX_REQUEST_BPS);

    public ClampOptions {
        if (floorBps < 0 || recoverFactor < 1 || enterFloorMillis < 0 || leaveFloorMillis < 0) {
            throw new IllegalArgumentException("floor, recover factor (>= 1) and delays must not be negative");
        }
        if (changeThreshold < 0 || refreshMillis <= 0) {
            throw new IllegalArgumentException("change threshold >= 0 and refresh > 0 required");
        }
        if (minRequestBps <= 0 || maxRequestBps < minRequestBps) {
            throw new IllegalArgumentException("need 0 < min <= max request: " + minRequestBps + ", " + maxRequestBps);
        }
    }
}
