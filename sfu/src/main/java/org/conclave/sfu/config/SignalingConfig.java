package org.conclave.sfu.config;

import org.conclave.sfu.sdp.SdpLimits;

/**
 * When the SFU makes an offer again, how it keeps data channels alive, how much one participant may publish and how
 * much of a client's SDP the SFU reads: keys {@code sfu.offer_answer_timeout_ms}, {@code sfu.keepalive_interval_ms},
 * {@code sfu.keepalive_timeout_ms}, {@code sfu.max_sending_media_lines}, {@code sfu.max_simulcast_layers},
 * {@code sfu.sdp_max_chars}, {@code sfu.sdp_max_media_sections}, {@code sfu.sdp_max_attributes_per_section}
 * (docs/operators.md, docs/protocol.md).
 *
 * @param offerAnswerTimeoutMs an SFU offer the client has not answered this long is made again with the latest state
 *     (each further attempt waits twice as long, at most 8 times this)
 * @param keepAliveIntervalMs the SFU sends {@code m.call.ping} this often on an endpoint's open data channel
 * @param keepAliveTimeoutMs an endpoint that sent nothing on its data channel for this long after a ping fails with
 *     {@code KEEP_ALIVE_TIMEOUT}
 * @param maxSendingMediaLines most media m-lines one participant's offer may send: the SFU repeats each of them in
 *     every other participant's offers, so one client could otherwise swell everyone's signalling past its limits
 * @param maxSimulcastLayers most simulcast layers (rids or SIM ssrcs) of one m-line
 * @param sdpMaxChars longest offer or answer a client may send, in characters ({@link #sdpLimits})
 * @param sdpMaxMediaSections most m-sections in a client's offer or answer
 * @param sdpMaxAttributesPerSection most a= lines in the session part or one m-section of a client's SDP
 */
public record SignalingConfig(int offerAnswerTimeoutMs, int keepAliveIntervalMs, int keepAliveTimeoutMs,
        int maxSendingMediaLines, int maxSimulcastLayers, int sdpMaxChars, int sdpMaxMediaSections,
        int sdpMaxAttributesPerSection) {
    public static final String OFFER_ANSWER_TIMEOUT_MS = "offer_answer_timeout_ms";
    public static final String KEEPALIVE_INTERVAL_MS = "keepalive_interval_ms";
    public static final String KEEPALIVE_TIMEOUT_MS = "keepalive_timeout_ms";
    public static final String MAX_SENDING_MEDIA_LINES = "max_sending_media_lines";
    public static final String MAX_SIMULCAST_LAYERS = "max_simulcast_layers";
    public static final String SDP_MAX_CHARS = "sdp_max_chars";
    public static final String SDP_MAX_MEDIA_SECTIONS = "sdp_max_media_sections";
    public static final String SDP_MAX_ATTRIBUTES_PER_SECTION = "sdp_max_attributes_per_section";

    /** Long enough for a Matrix round trip through two homeservers, short enough that a lost offer costs seconds. */
    public static final int DEFAULT_OFFER_ANSWER_TIMEOUT_MS = 5_000;
    /** matrix-org/waterfall's values (MSC3898: pings at most every 30 s). */
    public static final int DEFAULT_KEEPALIVE_INTERVAL_MS = 30_000;
    public static final int DEFAULT_KEEPALIVE_TIMEOUT_MS = 30_000;
    /** A camera and a screen share with their audio, and spare. */
    public static final int DEFAULT_MAX_SENDING_MEDIA_LINES = 8;
    /** Browsers send up to 3 (Chromium) or 4 layers. */
    public static final int DEFAULT_MAX_SIMULCAST_LAYERS = 4;
    static final int MAX_MEDIA_LINES = 64;
    static final int MAX_LAYERS = 16;
    /** Below this a real browser's offer (~4-10 KiB) no longer fits; above, one offer costs megabytes to parse. */
    static final int MIN_SDP_CHARS = 4096;
    static final int MAX_SDP_CHARS = 1024 * 1024;
    /** Every m-section costs a line of state per renegotiation; a thousand is past any real conference. */
    static final int MAX_SDP_MEDIA_SECTIONS = 1024;
    /** A browser's video m-section carries 40-60 a= lines (codecs, rtcp-fb, extmap, candidates). */
    static final int MIN_SDP_ATTRIBUTES = 64;
    static final int MAX_SDP_ATTRIBUTES = 65_536;

    public SignalingConfig {
        new ConfigValidator(SfuConfig.SECTION)
                .range(OFFER_ANSWER_TIMEOUT_MS, offerAnswerTimeoutMs, SfuConfig.MIN_TIMEOUT_MS, SfuConfig.MAX_TIMEOUT_MS)
                .range(KEEPALIVE_INTERVAL_MS, keepAliveIntervalMs, SfuConfig.MIN_TIMEOUT_MS, SfuConfig.MAX_TIMEOUT_MS)
                .range(KEEPALIVE_TIMEOUT_MS, keepAliveTimeoutMs, SfuConfig.MIN_TIMEOUT_MS, SfuConfig.MAX_TIMEOUT_MS)
                .range(MAX_SENDING_MEDIA_LINES, maxSendingMediaLines, 1, MAX_MEDIA_LINES)
                .range(MAX_SIMULCAST_LAYERS, maxSimulcastLayers, 1, MAX_LAYERS)
                .range(SDP_MAX_CHARS, sdpMaxChars, MIN_SDP_CHARS, MAX_SDP_CHARS)
                .range(SDP_MAX_MEDIA_SECTIONS, sdpMaxMediaSections, 1, MAX_SDP_MEDIA_SECTIONS)
                // An offer sending max_sending_media_lines m-lines must fit, or that limit could never be reached.
                .check(sdpMaxMediaSections < 1 || maxSendingMediaLines > MAX_MEDIA_LINES
                        || sdpMaxMediaSections >= maxSendingMediaLines, SDP_MAX_MEDIA_SECTIONS,
                        "must be at least " + MAX_SENDING_MEDIA_LINES + " (" + maxSendingMediaLines + ")",
                        sdpMaxMediaSections)
                .range(SDP_MAX_ATTRIBUTES_PER_SECTION, sdpMaxAttributesPerSection, MIN_SDP_ATTRIBUTES,
                        MAX_SDP_ATTRIBUTES)
                .throwIfInvalid();
    }

    /** The timing keys with the default publishing and SDP limits. */
    public SignalingConfig(int offerAnswerTimeoutMs, int keepAliveIntervalMs, int keepAliveTimeoutMs) {
        this(offerAnswerTimeoutMs, keepAliveIntervalMs, keepAliveTimeoutMs, DEFAULT_MAX_SENDING_MEDIA_LINES,
                DEFAULT_MAX_SIMULCAST_LAYERS, SdpLimits.DEFAULT_MAX_CHARS, SdpLimits.DEFAULT_MAX_MEDIA_SECTIONS,
                SdpLimits.DEFAULT_MAX_ATTRIBUTES_PER_SECTION);
    }

    /** How much of a client's SDP the parser reads; the SFU's own SDP is parsed with {@link SdpLimits#DEFAULTS}. */
    public SdpLimits sdpLimits() {
        return new SdpLimits(sdpMaxChars, sdpMaxMediaSections, sdpMaxAttributesPerSection);
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
        int chars = s.integer(SDP_MAX_CHARS, SdpLimits.DEFAULT_MAX_CHARS);
        int sections = s.integer(SDP_MAX_MEDIA_SECTIONS, SdpLimits.DEFAULT_MAX_MEDIA_SECTIONS);
        int attributes = s.integer(SDP_MAX_ATTRIBUTES_PER_SECTION, SdpLimits.DEFAULT_MAX_ATTRIBUTES_PER_SECTION);
        return s.build(() -> new SignalingConfig(offer, interval, timeout, lines, layers, chars, sections,
                attributes));
    }
}
