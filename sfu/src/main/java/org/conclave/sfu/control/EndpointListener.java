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
     * The set of sources the SFU sends to this client changed: this is a new offer the client must answer
     * (through {@link SfuControl#applyAnswer}).
     */
    default void onOffer(String endpointId, String sdpOffer) {}

    /**
     * The video this endpoint actually gets of one sender's track changed: {@code reason} is "subscription" (it asked),
     * "bandwidth" (its downlink estimate fell below the floor, or recovered) or "spotlight".
     */
    default void onLayerChanged(String endpointId, String streamId, String trackId, VideoQuality quality,
            String reason) {}
}
