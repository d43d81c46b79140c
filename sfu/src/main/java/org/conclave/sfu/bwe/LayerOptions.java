package org.conclave.sfu.bwe;

/**
 * Tunables of simulcast layer selection (config {@code sfu.rate_control.*}).
 *
 * @param upswitchMargin a higher layer is chosen only if its bitrate is at most this fraction of the budget (a
 *     layer already forwarded may use all of it), so an estimate near a layer's rate does not flap
 * @param keyFrameRetryMillis while waiting to switch, the key-frame request for the target layer is repeated this
 *     often (the request itself still passes the source's {@link KeyFrameRequestLimiter})
 * @param layerTimeoutMillis a layer with no packet for this long is considered stopped by the sender
 */
public record LayerOptions(double upswitchMargin, long keyFrameRetryMillis, long layerTimeoutMillis) {
    public static final double DEFAULT_UPSWITCH_MARGIN = 0.9;
    public static final long DEFAULT_KEY_FRAME_RETRY_MILLIS = 500;
    /** Chrome pauses a simulcast layer when its uplink estimate drops; a second of silence means that. */
    public static final long DEFAULT_LAYER_TIMEOUT_MILLIS = 1_000;

    public static final LayerOptions DEFAULTS = new LayerOptions(DEFAULT_UPSWITCH_MARGIN,
            DEFAULT_KEY_FRAME_RETRY_MILLIS, DEFAULT_LAYER_TIMEOUT_MILLIS);

    public LayerOptions {
        if (upswitchMargin <= 0 || upswitchMargin > 1 || keyFrameRetryMillis <= 0 || layerTimeoutMillis <= 0) {
            throw new IllegalArgumentException("upswitch margin in (0, 1], retry and timeout > 0 required");
        }
    }
}
