package org.conclave.sfu.room;

import java.util.concurrent.CompletionStage;

/**
 * SDP offers and answers that arrive as {@code m.call.negotiate} over the data channel. The stages must complete on
 * the control thread (the SFU's control calls do), because the room replies from their completion.
 */
public interface NegotiationSink {
    /** Applies a client's offer and yields the SFU's answer. */
    CompletionStage<String> applyOffer(String endpointId, String sdpOffer);

    /** Applies a client's answer to an offer the SFU sent. */
    CompletionStage<Void> applyAnswer(String endpointId, String sdpAnswer);

    /** A sink for rooms without data-channel negotiation: every call fails with a sentence saying so. */
    NegotiationSink UNAVAILABLE = new NegotiationSink() {
        @Override
        public CompletionStage<String> applyOffer(String endpointId, String sdpOffer) {
            return java.util.concurrent.CompletableFuture.failedFuture(
                    new IllegalStateException("SDP negotiation over the data channel is not enabled on this SFU"));
        }

        @Override
        public CompletionStage<Void> applyAnswer(String endpointId, String sdpAnswer) {
            return java.util.concurrent.CompletableFuture.failedFuture(
                    new IllegalStateException("SDP negotiation over the data channel is not enabled on this SFU"));
        }
    };
}
