package org.conclave.tests.harness;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One event of an endpoint as the long-poll hands it to peers. {@code type} is one of {@value #OFFER},
 * {@value #CONNECTED}, {@value #FAILED}, {@value #CLOSED}, {@value #LAYER}, {@value #MEDIA_REFUSED}; {@code sdp} is
 * set for offers, {@code reason} and {@code detail} for failures, {@code detail} for a refusal; a layer change sets {@code streamId}, {@code trackId},
 * {@code quality} (a VideoQuality name) and {@code reason}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SignalEvent(long seq, String type, String sdp, String reason, String detail, String streamId,
        String trackId, String quality) {
    /** Offers, connection state changes: no layer fields. */
    public SignalEvent(long seq, String type, String sdp, String reason, String detail) {
        this(seq, type, sdp, reason, detail, null, null, null);
    }

    public static final String OFFER = "offer";
    public static final String CONNECTED = "connected";
    public static final String FAILED = "failed";
    public static final String CLOSED = "closed";
    /** {@code EndpointListener.onLayerChanged}: streamId, trackId, quality, and the SFU's reason. */
    public static final String LAYER = "layer";
    /** {@code EndpointListener.onMediaRefused}: the endpoint's media is held as not end-to-end encrypted. */
    public static final String MEDIA_REFUSED = "media_refused";
}
