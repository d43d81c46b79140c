package org.conclave.cluster.placement;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import java.util.function.Predicate;
import org.conclave.cluster.wire.ControlCodec;
import org.conclave.cluster.wire.NodeLoad;
import org.conclave.cluster.wire.Reply;
import org.conclave.cluster.wire.Request;
import org.conclave.cluster.wire.WireException;
import org.conclave.sfu.control.FailureReason;
import org.conclave.sfu.control.SfuException;

/**
 * Control requests to the SFU nodes over the event bus, for {@link ClusterControl} (on its context): each waits
 * {@code cluster.request_timeout_ms} for the answer; a refusal becomes an {@link SfuException}, silence or no
 * consumer an {@link Unreachable}. A node still current whose consumer is not known here yet (it just joined, or
 * merged back into the cluster and its registration is still spreading; its heartbeat came first) is tried again
 * every {@link #NO_HANDLERS_RETRY_MS} within the same timeout, as a slow answer is waited for.
 */
final class NodeRequests {
    private static final long NO_HANDLERS_RETRY_MS = 100;

    private final Vertx vertx;
    private final DeliveryOptions options;
    private final int noHandlerRetries;
    private final Predicate<NodeLoad> current;

    /** @param current whether this start of the node is the one alive now */
    NodeRequests(Vertx vertx, long requestTimeoutMs, Predicate<NodeLoad> current) {
        this.vertx = vertx;
        this.options = new DeliveryOptions().setSendTimeout(requestTimeoutMs);
        this.noHandlerRetries = (int) Math.max(1, requestTimeoutMs / NO_HANDLERS_RETRY_MS);
        this.current = current;
    }

    Future<Reply> request(NodeLoad node, Request request) {
        return request(node, request, noHandlerRetries);
    }

    private Future<Reply> request(NodeLoad node, Request request, int retries) {
        return vertx.eventBus().<Buffer>request(node.address(), ControlCodec.encode(request), options)
                .transform(ar -> {
                    if (ar.failed() && retries > 0 && ar.cause() instanceof ReplyException r
                            && r.failureType() == ReplyFailure.NO_HANDLERS && current.test(node)) {
                        Promise<Reply> later = Promise.promise();
                        vertx.setTimer(NO_HANDLERS_RETRY_MS, t -> request(node, request, retries - 1)
                                .onComplete(later));
                        return later.future();
                    }
                    if (ar.failed()) return Future.failedFuture(new Unreachable(node, ar.cause()));
                    Reply reply;
                    try {
                        reply = ControlCodec.decodeReply(ar.result().body());
                    } catch (WireException e) {
                        return Future.failedFuture(new SfuException(FailureReason.INTERNAL, "node " + node.node()
                                + " answered something unreadable: " + e.getMessage()));
                    }
                    if (reply instanceof Reply.Refused r) {
                        return Future.failedFuture(new SfuException(r.reason(), r.message()));
                    }
                    return Future.succeededFuture(reply);
                });
    }

    /** Fire and forget (a close the caller does not wait for). */
    void send(NodeLoad node, Request request) {
        vertx.eventBus().send(node.address(), ControlCodec.encode(request));
    }

    /** A node that did not answer: placement moves on to the next; a caller sees it as an {@link SfuException}. */
    static final class Unreachable extends RuntimeException {
        Unreachable(NodeLoad node, Throwable x) {
            super("the conference server node " + node.node() + (x instanceof ReplyException r
                    && r.failureType() == ReplyFailure.TIMEOUT ? " did not answer in time" : " could not be reached")
                    + ". Try again in a moment.", null, false, false);
        }
    }
}
