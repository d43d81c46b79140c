package org.conclave.sfu.room;

import java.util.concurrent.CompletionException;
import java.util.function.BooleanSupplier;
import org.conclave.sfu.room.ControlMessage.Negotiate;

/**
 * {@code m.call.negotiate} from a client over its data channel: an offer is answered on the channel, an answer is
 * applied; what cannot be used is refused with {@code M_INVALID_PARAM} in words. Replies are dropped when the
 * participant left meanwhile.
 */
final class DataChannelNegotiation {
    private final NegotiationSink sink;
    private final RoomOutbox outbox;

    DataChannelNegotiation(NegotiationSink sink, RoomOutbox outbox) {
        this.sink = sink;
        this.outbox = outbox;
    }

    /** {@code stillThere}: whether the sender is still the same participant when the SFU's reply is ready. */
    void handle(String endpointId, Negotiate n, BooleanSupplier stillThere) {
        String requestId = n.requestId();
        try {
            if (n.descriptionType().equals("offer")) {
                sink.applyOffer(endpointId, n.sdp()).whenComplete((answer, error) -> {
                    if (!stillThere.getAsBoolean()) return;
                    if (error != null) {
                        refuse(endpointId, n, error);
                    } else {
                        outbox.send(endpointId, ServerMessages.negotiate("answer", answer, requestId));
                    }
                });
            } else {
                sink.applyAnswer(endpointId, n.sdp()).whenComplete((ignored, error) -> {
                    if (!stillThere.getAsBoolean()) return;
                    if (error != null) {
                        refuse(endpointId, n, error);
                    } else if (requestId != null) {
                        outbox.send(endpointId, ServerMessages.ok(n.type(), requestId));
                    }
                });
            }
        } catch (RuntimeException e) {
            refuse(endpointId, n, e);
        }
    }

    private void refuse(String endpointId, Negotiate n, Throwable error) {
        outbox.send(endpointId, ServerMessages.error(ErrorCode.M_INVALID_PARAM,
                "your " + n.descriptionType() + " cannot be used: " + cause(error), n.type(), n.requestId()));
    }

    private static String cause(Throwable t) {
        Throwable c = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
        return c.getMessage() != null ? c.getMessage() : c.getClass().getSimpleName();
    }
}
