package org.conclave.sfu.config;

import org.conclave.sfu.bwe.ClampOptions;
import org.conclave.sfu.bwe.EstimatorOptions;
import org.conclave.sfu.keyframe.KeyFrameOptions;
import org.conclave.sfu.bwe.LayerOptions;
import org.conclave.sfu.repair.NackOptions;

/**
 * Rate control, layer switching, key-frame and loss-repair limits: keys {@code sfu.rate_*}, {@code sfu.layer_*},
 * {@code sfu.keyframe_*}, {@code sfu.nack_*} (docs/operators.md). Held as the option records the bwe package uses.
 */
public record RateControlConfig(ClampOptions clamp, EstimatorOptions estimator, LayerOptions layers,
                                KeyFrameOptions keyFrames, NackOptions nack) {

    public static final String FLOOR_BPS = "rate_floor_bps";
    public static final String RECOVER_PERCENT = "rate_recover_percent";
    public static final String DEMOTE_AFTER_MS = "rate_demote_after_ms";
    public static final String PROMOTE_AFTER_MS = "rate_promote_after_ms";
    public static final String MIN_REQUEST_BPS = "rate_min_request_bps";
    public static final String MAX_REQUEST_BPS = "rate_max_request_bps";
    public static final String REFRESH_MS = "rate_refresh_ms";
    public static final String START_BPS = "rate_start_bps";
    public static final String ESTIMATE_TIMEOUT_MS = "rate_estimate_timeout_ms";
    public static final String UPSWITCH_MARGIN_PERCENT = "layer_upswitch_margin_percent";
    public static final String LAYER_TIMEOUT_MS = "layer_timeout_ms";
    public static final String LAYER_KEYFRAME_RETRY_MS = "layer_keyframe_retry_ms";
    public static final String KEYFRAME_SOURCE_INTERVAL_MS = "keyframe_source_interval_ms";
    public static final String KEYFRAME_RECEIVER_MAX_REQUESTS = "keyframe_receiver_max_requests";
    public static final String KEYFRAME_RECEIVER_WINDOW_MS = "keyframe_receiver_window_ms";
    public static final String KEYFRAME_RECEIVER_MIN_SPACING_MS = "keyframe_receiver_min_spacing_ms";
    public static final String NACK_CACHE_PACKETS = "nack_cache_packets";
    public static final String NACK_CACHE_MAX_AGE_MS = "nack_cache_max_age_ms";
    public static final String NACK_RESEND_INTERVAL_MS = "nack_resend_interval_ms";
    public static final String NACK_UPSTREAM_MAX_RETRIES = "nack_upstream_max_retries";

    /** Bounds that catch unit mistakes (kbit/s for bit/s, seconds for ms) without ruling out odd deployments. */
    static final int MAX_BPS = 100_000_000;
    static final int MAX_MS = 60_000;
    static final int MIN_CACHE_PACKETS = 16;
    static final int MAX_CACHE_PACKETS = 8192;

    public static RateControlConfig defaults() {
        return new RateControlConfig(ClampOptions.DEFAULTS, EstimatorOptions.DEFAULTS, LayerOptions.DEFAULTS,
                KeyFrameOptions.DEFAULTS, NackOptions.DEFAULTS);
    }

    /** Reads the keys from section {@code sfu}; problems are recorded on the section (null then). */
    static RateControlConfig read(ConfigSection s) {
        ClampOptions c = ClampOptions.DEFAULTS;
        EstimatorOptions e = EstimatorOptions.DEFAULTS;
        LayerOptions l = LayerOptions.DEFAULTS;
        KeyFrameOptions k = KeyFrameOptions.DEFAULTS;
        NackOptions n = NackOptions.DEFAULTS;
        int floor = s.integer(FLOOR_BPS, (int) c.floorBps());
        int recover = s.integer(RECOVER_PERCENT, (int) Math.round(c.recoverFactor() * 100));
        int demote = s.integer(DEMOTE_AFTER_MS, (int) c.enterFloorMillis());
        int promote = s.integer(PROMOTE_AFTER_MS, (int) c.leaveFloorMillis());
        int minReq = s.integer(MIN_REQUEST_BPS, (int) c.minRequestBps());
        int maxReq = s.integer(MAX_REQUEST_BPS, (int) c.maxRequestBps());
        int refresh = s.integer(REFRESH_MS, (int) c.refreshMillis());
        int start = s.integer(START_BPS, (int) e.startBitrateBps());
        int timeout = s.integer(ESTIMATE_TIMEOUT_MS, (int) e.estimateTimeoutMillis());
        int margin = s.integer(UPSWITCH_MARGIN_PERCENT, (int) Math.round(l.upswitchMargin() * 100));
        int layerTimeout = s.integer(LAYER_TIMEOUT_MS, (int) l.layerTimeoutMillis());
        int retry = s.integer(LAYER_KEYFRAME_RETRY_MS, (int) l.keyFrameRetryMillis());
        int sourceInterval = s.integer(KEYFRAME_SOURCE_INTERVAL_MS, (int) k.sourceIntervalMillis());
        int receiverMax = s.integer(KEYFRAME_RECEIVER_MAX_REQUESTS, k.receiverMaxRequests());
        int receiverWindow = s.integer(KEYFRAME_RECEIVER_WINDOW_MS, (int) k.receiverWindowMillis());
        int receiverSpacing = s.integer(KEYFRAME_RECEIVER_MIN_SPACING_MS, (int) k.receiverMinSpacingMillis());
        int cache = s.integer(NACK_CACHE_PACKETS, n.cachePackets());
        int cacheAge = s.integer(NACK_CACHE_MAX_AGE_MS, (int) n.cacheMaxAgeMillis());
        int resend = s.integer(NACK_RESEND_INTERVAL_MS, (int) n.resendIntervalMillis());
        int retries = s.integer(NACK_UPSTREAM_MAX_RETRIES, n.upstreamMaxRetries());
        return s.build(() -> {
            new ConfigValidator(SfuConfig.SECTION)
                    .range(FLOOR_BPS, floor, 0, MAX_BPS)
                    .range(RECOVER_PERCENT, recover, 100, 1000)
                    .range(DEMOTE_AFTER_MS, demote, 0, MAX_MS)
                    .range(PROMOTE_AFTER_MS, promote, 0, MAX_MS)
                    .range(MIN_REQUEST_BPS, minReq, 10_000, MAX_BPS)
                    .range(MAX_REQUEST_BPS, maxReq, 10_000, MAX_BPS)
                    .check(minReq <= maxReq, MIN_REQUEST_BPS, "must not exceed " + MAX_REQUEST_BPS + " (" + maxReq + ")",
                            minReq)
                    .range(REFRESH_MS, refresh, 100, MAX_MS)
                    .range(START_BPS, start, (int) e.minBitrateBps(), MAX_BPS)
                    .range(ESTIMATE_TIMEOUT_MS, timeout, 100, MAX_MS)
                    .range(UPSWITCH_MARGIN_PERCENT, margin, 10, 100)
                    .range(LAYER_TIMEOUT_MS, layerTimeout, 100, MAX_MS)
                    .range(LAYER_KEYFRAME_RETRY_MS, retry, 50, MAX_MS)
                    .range(KEYFRAME_SOURCE_INTERVAL_MS, sourceInterval, 0, MAX_MS)
                    .range(KEYFRAME_RECEIVER_MAX_REQUESTS, receiverMax, 1, 1000)
                    .range(KEYFRAME_RECEIVER_WINDOW_MS, receiverWindow, 100, 600_000)
                    .range(KEYFRAME_RECEIVER_MIN_SPACING_MS, receiverSpacing, 0, MAX_MS)
                    .range(NACK_CACHE_PACKETS, cache, MIN_CACHE_PACKETS, MAX_CACHE_PACKETS)
                    .check(Integer.bitCount(cache) == 1, NACK_CACHE_PACKETS, "must be a power of two", cache)
                    .range(NACK_CACHE_MAX_AGE_MS, cacheAge, 100, 10_000)
                    .range(NACK_RESEND_INTERVAL_MS, resend, 0, 10_000)
                    .range(NACK_UPSTREAM_MAX_RETRIES, retries, 0, 100)
                    .throwIfInvalid();
            return new RateControlConfig(
                    new ClampOptions(floor, recover / 100.0, demote, promote, c.changeThreshold(), refresh, minReq,
                            maxReq),
                    new EstimatorOptions(e.minBitrateBps(), e.maxBitrateBps(), start, e.historyPackets(), timeout),
                    new LayerOptions(margin / 100.0, retry, layerTimeout),
                    new KeyFrameOptions(sourceInterval, receiverMax, receiverWindow, receiverSpacing),
                    new NackOptions(cache, cacheAge, resend, n.upstreamMaxMissing(), retries,
                            n.upstreamRetryMillis(), n.upstreamMaxAgeMillis(), n.reorderPackets(), n.reorderMillis()));
        });
    }
}
