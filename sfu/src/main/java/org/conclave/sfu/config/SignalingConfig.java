package org.conclave.sfu.config;

/**
 * When the SFU makes an offer again, how it keeps data channels alive and how much one participant may publish: keys
 * {@code sfu.offer_answer_timeout_ms}, {@code sfu.keepalive_interval_ms}, {@code sfu.keepalive_timeout_ms},
 * {@code sfu.max_sending_media_lines}, {@code sfu.max_simulcast_layers} (docs/operators.md, docs/protocol.md).
 *
 * @param offerAnswerTimeoutMs an SFU offer the client has not answered this long is made again with the latest state
 *     (each further attempt waits twice as long, at most 8 times this)
 * @param keepAliveIntervalMs the SFU sends {@code m.call.ping} this often on an endpoint's open data channel
 * @param keepAliveTimeoutMs an endpoint that sent nothing on its data channel for this long after a ping fails with
 *     {@code KEEP_ALIVE_TIMEOUT}
 * @param maxSendingMediaLines most media m-lines one participant's offer may send: the SFU repeats each of them in
 *     every other participant's offers, so one client could otherwise swell everyone's signalling past its limits
 * @param maxSimulcastLayers most simulcast layers (rids or SIM ssrcs) of one m-line
 */
public record SignalingConfig(int offerAnswerTimeoutMs, int keepAliveIntervalMs, int keepAliveTimeoutMs,
        int maxSendingMediaLines, int maxSimulcastLayers) {
    public static final String OFFER_ANSWER_TIMEOUT_MS = "offer_answer_timeout_ms";
    public static final String KEEPALIVE_INTERVAL_MS = "keepalive_interval_ms";
    public static final String KEEPALIVE_TIMEOUT_MS = "keepalive_timeout_ms";
    public static final String MAX_SENDING_MEDIA_LINES = "max_sending_media_lines";
    public static final String MAX_SIMULCAST_LAYERS = "max_simulcast_layers";

    /** Long enough for a Matrix round trip through two homeservers, short enough that a lost offer costs seconds. */
    public static final int DEFAULT_OFFER_ANSWER_TIMEOUT_MS = 5_000;
    /** matrix-org/waterfall's values (MSC3898: pings at most every 30 s). */
    public static final int DEFAULT_KEEPALIVE_INTERVAL_MS = 30_000;
    public static final int DEFAULT_KEEPALIVE_TIMEOUT_MS = 30_000;
    /** A camera and a screen share with their audio, and spare. */
    public static final int DEFAULT_MAX_SENDING_MEDIA_LINES = 8;
    /** Browsers send up to 3 (Chromium) or 4 layers. */
    public static final int DEFAULT_MAX_SIMULCAST_LAYERS = 4;
    /** An SDP the parser accepts has at most 64 m-sections (SdpParser.MAX_MEDIA_SECTIONS). */
    static final int MAX_MEDIA_LINES = 64;
    static final int MAX_LAYERS = 16;

    public SignalingConfig {
        new ConfigValidator(SfuConfig.SECTION)
                .range(OFFER_ANSWER_TIMEOUT_MS, offerAnswerTimeoutMs, SfuConfig.MIN_TIMEOUT_MS, SfuConfig.MAX_TIMEOUT_MS)
                .range(KEEPALIVE_INTERVAL_MS, keepAliveIntervalMs, SfuConfig.MIN_TIMEOUT_MS, SfuConfig.MAX_TIMEOUT_MS)
                .range(KEEPALIVE_TIMEOUT_MS, keepAliveTimeoutMs, SfuConfig.MIN_TIMEOUT_MS, SfuConfig.MAX_TIMEOUT_MS)
                .range(MAX_SENDING_MEDIA_LINES, maxSendingMediaLines, 1, MAX_MEDIA_LINES)
                .range(MAX_SIMULCAST_LAYERS, maxSimulcastLayers, 1, MAX_LAYERS)
                .throwIfInvalid();
    }

    /** The timing keys with the default publishing limits. */
    public SignalingConfig(int offerAnswerTimeoutMs, int keepAliveIntervalMs, int keepAliveTimeoutMs) {
        this(offerAnswerTimeoutMs, keepAliveIntervalMs, keepAliveTimeoutMs, DEFAULT_MAX_SENDING_MEDIA_LINES,
                DEFAULT_MAX_SIMULCAST_LAYERS);
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
        int lines = s.integer(MAX_SENDING_MEDIA_LINES, DEFAULT_MAX_SENDING_MEDIA_LINES);
        int layers = s.integer(MAX_SIMULCAST_LAYERS, DEFAULT_MAX_SIMULCAST_LAYERS);
        return s.build(() -> new SignalingConfig(offer, interval, timeout, lines, layers));
    }
}
