package org.conclave.sfu.control;

import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * The one contract the appservice drives the SFU through. Every argument and result is plain data (strings,
 * records of strings and enums) so the same calls can later travel over the Vert.x event bus to an SFU on
 * another machine. Implementations never block the caller: slow work completes the returned stage later.
 */
public interface SfuControl {

    /** Creates an endpoint in a conference (the conference is created on first use). */
    CompletionStage<EndpointAllocation> allocate(AllocateRequest request, EndpointListener listener);

    /**
     * Applies the client's SDP offer (the first, a renegotiation, or an ICE restart with new credentials) and returns
     * the SFU's answer (ice-lite, candidates included) with the metadata of the streams the SFU sends in it.
     * {@code metadata} is the client's description of its own streams ({@code sdp_stream_metadata} of the invite or
     * negotiate); it replaces what the client said before about the streams it names, and an empty map changes
     * nothing.
     */
    CompletionStage<SfuDescription> applyOffer(String endpointId, String sdpOffer, Map<String, StreamMetadata> metadata);

    /** {@link #applyOffer(String, String, Map)} without metadata, for callers that only need the answer's SDP. */
    default CompletionStage<String> applyOffer(String endpointId, String sdpOffer) {
        return applyOffer(endpointId, sdpOffer, Map.of()).thenApply(SfuDescription::sdp);
    }

    /**
     * The client's description of its own streams changed ({@code m.call.sdp_stream_metadata_changed}): mute state or
     * purpose. Replaces what it said before about the streams it names; the other endpoints of the conference learn it
     * through {@link EndpointListener#onStreamMetadata}.
     */
    CompletionStage<Void> setStreamMetadata(String endpointId, Map<String, StreamMetadata> metadata);

    /**
     * From now on the conference forwards only end-to-end-encrypted media (the room became encrypted). Completes once
     * the packet path applies it, so nothing of a non-encrypting sender is forwarded after that. Encryption cannot be
     * turned off again (Matrix rooms cannot become unencrypted). An unknown conference is a no-op.
     */
    CompletionStage<Void> requireE2ee(String conferenceId);

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
    default CompletionStage<Void> close(String endpointId, String reason) {
        return close(endpointId, reason, CloseCause.CONTROL);
    }

    /**
     * Closes an endpoint, saying who asked: {@link CloseCause#CONTROL} (the appservice) or {@link CloseCause#OPERATOR}
     * (the admin API); {@link EndpointListener#onClosed(String, CloseCause, String)} carries it and {@code reason}.
     */
    CompletionStage<Void> close(String endpointId, String reason, CloseCause cause);
}
