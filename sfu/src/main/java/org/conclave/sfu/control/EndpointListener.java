package org.conclave.sfu.control;

/**
 * Events of one endpoint. Called from SFU threads: implementations hand the work to their own thread (the
 * appservice posts to its Vert.x context) and return at once.
 */
public interface EndpointListener {
    /** ICE and DTLS are up; media can flow. */
    default void onConnected(String endpointId) {}

    /** The endpoint failed and is closed; {@code detail} is a sentence for logs and users. */
    default void onFailed(String endpointId, FailureReason reason, String detail) {}

    /** The endpoint is closed (after {@link SfuControl#close} or a failure). */
    default void onClosed(String endpointId) {}

    /**
     * The endpoint is closed, with why ({@code detail}: a sentence, e.g. the host's reason). By default this calls
     * {@link #onClosed(String)}; the SFU calls only this one.
     */
    default void onClosed(String endpointId, CloseCause cause, String detail) {
        onClosed(endpointId);
    }

    /**
     * The set of sources the SFU sends to this client changed: this is a new offer the client must answer
     * (through {@link SfuControl#applyAnswer}).
     */
    default void onOffer(String endpointId, String sdpOffer) {}

    /**
     * The SFU's new offer with the metadata of every stream it sends in it. The SFU sends an offer only once the
     * endpoint is connected (so the client has applied the SFU's answer) and no other offer of it is outstanding; an
     * offer that is not answered in time is made again with the latest state. By default this calls
     * {@link #onOffer(String, String)}.
     */
    default void onOffer(String endpointId, SfuDescription offer) {
        onOffer(endpointId, offer.sdp());
    }

    /**
     * The metadata (mute state, purpose) of streams this endpoint receives changed without a new SDP; {@code streams}
     * holds every stream it receives now.
     */
    default void onStreamMetadata(String endpointId, java.util.Map<String, StreamMetadata> streams) {}

    /**
     * The conference requires end-to-end encryption and this endpoint's media is refused as not encrypted; nothing of
     * it is forwarded until it offers again. {@code detail} is a sentence for the participant. Called once per hold.
     */
    default void onMediaRefused(String endpointId, String detail) {}

    /**
     * The video this endpoint actually gets of one sender's track changed: {@code reason} is "subscription" (it asked),
     * "bandwidth" (its downlink estimate fell below the floor, or recovered) or "spotlight".
     */
    default void onLayerChanged(String endpointId, String streamId, String trackId, VideoQuality quality,
            String reason) {}
}
