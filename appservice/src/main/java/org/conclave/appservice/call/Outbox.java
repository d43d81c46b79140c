package org.conclave.appservice.call;

import io.vertx.core.Future;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the bot sends for one call, strictly in order and one at a time (answer, candidates, negotiate, hangup,
 * notices): a send starts only when the previous one has finished, whatever its outcome, so a later event can never
 * overtake an earlier one on its way to the homeserver. Confined to the call loop.
 */
final class Outbox {
    private static final Logger LOG = LoggerFactory.getLogger(Outbox.class);

    private final String callId;
    private Future<Void> tail = Future.succeededFuture();

    Outbox(String callId) {
        this.callId = callId;
    }

    /**
     * Queues a send behind everything queued before. The result fails when this send failed (after the client's
     * own retries); the sends behind it go out anyway.
     */
    Future<Void> then(String what, Supplier<Future<Void>> send) {
        Future<Void> result = tail.transform(ignored -> {
            try {
                return send.get();
            } catch (RuntimeException e) {
                return Future.failedFuture(e);
            }
        });
        result.onFailure(x -> LOG.warn("call {}: could not send {}: {}", callId, what, x.toString()));
        tail = result.otherwiseEmpty();
        return result;
    }

    /** Completes when everything queued so far has been sent (or has failed). */
    Future<Void> idle() {
        return tail;
    }
}
