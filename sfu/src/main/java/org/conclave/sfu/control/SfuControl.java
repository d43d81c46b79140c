package org.conclave.sfu.control;

import java.util.concurrent.CompletionStage;

/**
 * The one contract the appservice drives the SFU through. Every argument and result is plain data (strings,
 * records of strings and enums) so the same calls can later travel over the Vert.x event bus to an SFU on
 * another machine. Implementations never block the caller: slow work completes the returned stage later.
 */
public interface SfuControl {

    /** Creates an endpoint in a conference (the conference is created on first use). */
    CompletionStage<EndpointAllocation> allocate(AllocateRequest request, EndpointListener listener);

    /** Applies the client's SDP offer and returns the SFU's answer (ice-lite, candidates included). */
    CompletionStage<String> applyOffer(String endpointId, String sdpOffer);

    /** Applies the client's answer to an offer the SFU made through {@link EndpointListener#onOffer}. */
    CompletionStage<Void> applyAnswer(String endpointId, String sdpAnswer);

    /**
     * Takes a trickled remote candidate. The SFU is ICE-lite and learns client addresses from their authenticated
     * checks, so candidates are only validated and counted; an empty candidate means end-of-candidates.
     */
    CompletionStage<Void> addRemoteCandidate(String endpointId, String candidate, String sdpMid);

    /**
     * Which of a sender's videos this endpoint wants: {@link VideoQuality#THUMBNAIL} (every receiver's default) or
     * {@link VideoQuality#FULL_RES}. The track is named as the receiver sees it in its SDP (msid stream and track id).
     * Rate control may still hold a receiver on the thumbnail when its downlink is too slow
     * ({@link EndpointListener#onLayerChanged} says so). Fails with BAD_REQUEST-like {@link SfuException} when the
     * endpoint receives no such video.
     */
    CompletionStage<Void> setVideoQuality(String endpointId, String streamId, String trackId, VideoQuality quality);

    /** Closes an endpoint; {@link EndpointListener#onClosed} follows. Closing an unknown endpoint is a no-op. */
    CompletionStage<Void> close(String endpointId, String reason);
}
