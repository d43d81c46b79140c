package org.conclave.sfu.config;

/**
 * When the SFU makes an offer again and how it keeps data channels alive: keys {@code sfu.offer_answer_timeout_ms},
 * {@code sfu.keepalive_interval_ms}, {@code sfu.keepalive_timeout_ms} (docs/operators.md, docs/protocol.md).
 *
 * @param offerAnswerTimeoutMs an SFU offer the client has not answered this long is made again with the latest state
 *     (each further attempt waits twice as long, at most 8 times this)
 * @param keepAliveIntervalMs the SFU sends {@code m.call.ping} this often on an endpoint's open data channel
 * @param keepAliveTimeoutMs an endpoint that sent nothing on its data channel for this long after a ping fails with
 *     {@code KEEP_ALIVE_TIMEOUT}
 */
public record SignalingConfig(int offerAnswerTimeoutMs, int keepAliveIntervalMs, int keepAliveTimeoutMs) {
    public static final String OFFER_ANSWER_TIMEOUT_MS = "offer_answer_timeout_ms";
    public static final String KEEPALIVE_INTERVAL_MS = "keepalive_interval_ms";
    public static final String KEEPALIVE_TIMEOUT_MS = "keepalive_timeout_ms";

    /** Long enough for a Matrix round trip through two homeservers, short enough that a lost offer costs seconds. */
    public static final int DEFAULT_OFFER_ANSWER_TIMEOUT_MS = 5_000;
    /** matrix-org/waterfall's values (MSC3898: pings at most every 30 s). */
    public static final int DEFAULT_KEEPALIVE_INTERVAL_MS = 30_000;
    public static final int DEFAULT_KEEPALIVE_TIMEOUT_MS = 30_000;

    public SignalingConfig {
        new ConfigValidator(SfuConfig.SECTION)
                .range(OFFER_ANSWER_TIMEOUT_MS, offerAnswerTimeoutMs, SfuConfig.MIN_TIMEOUT_MS, SfuConfig.MAX_TIMEOUT_MS)
                .range(KEEPALIVE_INTERVAL_MS, keepAliveIntervalMs, SfuConfig.MIN_TIMEOUT_MS, SfuConfig.MAX_TIMEOUT_MS)
                .range(KEEPALIVE_TIMEOUT_MS, keepAliveTimeoutMs, SfuConfig.MIN_TIMEOUT_MS, SfuConfig.MAX_TIMEOUT_MS)
                .throwIfInvalid();
    }

    public static SignalingConfig defaults() {
        return new SignalingConfig(DEFAULT_OFFER_ANSWER_TIMEOUT_MS, DEFAULT_KEEPALIVE_INTERVAL_MS,
                DEFAULT_KEEPALIVE_TIMEOUT_MS);
    }

    /** Reads the keys from section {@code sfu}; problems are recorded on the section (null then). */
    static SignalingConfig read(ConfigSection s) {
        int offer = s.integer(OFFER_ANSWER_TIMEOUT_MS, DEFAULT_OFFER_ANSWER_TIMEOUT_MS);
        int interval = s.integer(KEEPALIVE_INTERVAL_MS, DEFAULT_KEEPALIVE_INTERVAL_MS);
        int timeout = s.integer(KEEPALIVE_TIMEOUT_MS, DEFAULT_KEEPALIVE_TIMEOUT_MS);
        return s.build(() -> new SignalingConfig(offer, interval, timeout));
    }
}
