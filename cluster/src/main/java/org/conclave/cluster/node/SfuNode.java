package org.conclave.cluster.node;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.conclave.cluster.Addresses;
import org.conclave.cluster.Membership;
import org.conclave.cluster.wire.ControlCodec;
import org.conclave.cluster.wire.NodeLoad;
import org.conclave.cluster.wire.Reply;
import org.conclave.cluster.wire.Request;
import org.conclave.cluster.wire.WireException;
import org.conclave.sfu.control.CloseCause;
import org.conclave.sfu.control.FailureReason;
import org.conclave.sfu.control.SfuControl;
import org.conclave.sfu.control.SfuException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An SFU node on the event bus: serves the control contract of the local SFU at {@link Addresses#node} (each request
 * decoded, applied, answered), sends each endpoint's events to the appservice that allocated it
 * ({@link RemoteListener}), publishes its load every heartbeat interval, and closes the endpoints of an appservice that
 * left the cluster (no one would hang their calls up otherwise). Its drain (no new conferences, set by
 * {@code cluster.drain} or an appservice's admin API) only changes what its heartbeat says: placement is the
 * appservices' job.
 */
public final class SfuNode implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SfuNode.class);
    /** What an endpoint's close says when the appservice that placed it left the cluster. */
    static final String OWNER_LEFT = "the appservice that placed this call left the cluster";

    private final Vertx vertx;
    private final Context context;
    private final String name;
    private final String clusterNodeId;
    private final SfuControl control;
    private final LoadSource load;
    /** Endpoint id → the cluster node id of the appservice that allocated it. */
    private final Map<String, String> owners = new ConcurrentHashMap<>();
    private final long heartbeatTimer;
    private final AtomicLong sequence = new AtomicLong();
    private volatile boolean draining;
    private MessageConsumer<Buffer> consumer;

    private SfuNode(Vertx vertx, String name, Membership membership, SfuControl control, LoadSource load,
            long heartbeatIntervalMs, boolean draining) {
        this.vertx = vertx;
        this.context = vertx.getOrCreateContext();
        this.name = name;
        this.clusterNodeId = membership.localNodeId();
        this.control = control;
        this.load = load;
        this.draining = draining;
        membership.onMemberLeft(id -> context.runOnContext(v -> ownerLeft(id)));
        this.heartbeatTimer = vertx.setPeriodic(heartbeatIntervalMs, id -> context.runOnContext(v -> heartbeat()));
    }

    /** Serves {@code control} (the SFU's, behind its admission gate) once the consumer is registered cluster-wide. */
    public static Future<SfuNode> start(Vertx vertx, String name, Membership membership, SfuControl control,
            LoadSource load, long heartbeatIntervalMs, boolean draining) {
        SfuNode node = new SfuNode(vertx, name, membership, control, load, heartbeatIntervalMs, draining);
        return node.register().map(node);
    }

    private Future<Void> register() {
        io.vertx.core.Promise<Void> registered = io.vertx.core.Promise.promise();
        context.runOnContext(v -> {
            consumer = vertx.eventBus().consumer(address(), this::onRequest);
            consumer.completion().onComplete(ar -> {
                if (ar.succeeded()) heartbeat();
                registered.handle(ar);
            });
        });
        return registered.future();
    }

    public String name() {
        return name;
    }

    public String address() {
        return Addresses.node(clusterNodeId);
    }

    public boolean draining() {
        return draining;
    }

    /** Starts or ends the drain; a heartbeat sent at once tells the appservices. */
    public void setDraining(boolean value) {
        if (draining != value) LOG.info("node {}: {}", name, value ? "draining: no new conference is placed here, "
                + "running ones go on" : "drain ended: new conferences may be placed here again");
        draining = value;
        context.runOnContext(v -> heartbeat());
    }

    // ---------------------------------------------------------------- requests

    private void onRequest(Message<Buffer> message) {
        Request request;
        try {
            request = ControlCodec.decodeRequest(message.body());
        } catch (WireException e) {
            LOG.warn("node {}: refused an unreadable control request: {}", name, e.getMessage());
            reply(message, new Reply.Refused(FailureReason.INTERNAL, "unreadable control request: " + e.getMessage()));
            return;
        }
        CompletionStage<Reply> result;
        try {
            result = apply(request);
        } catch (RuntimeException e) {
            result = CompletableFuture.failedFuture(e);
        }
        result.whenComplete((reply, failure) -> reply(message, failure == null ? reply : refusal(failure)));
    }

    private CompletionStage<Reply> apply(Request request) {
        if (request instanceof Request.Allocate a) {
            return control.allocate(a.request(), new RemoteListener(vertx, name, a.events(), this::forget))
                    .thenApply(allocation -> {
                        owners.put(allocation.endpointId(), a.owner());
                        return new Reply.Allocated(allocation);
                    });
        } else if (request instanceof Request.ApplyOffer o) {
            return control.applyOffer(o.endpointId(), o.sdp(), o.metadata()).thenApply(Reply.Described::new);
        } else if (request instanceof Request.SetStreamMetadata m) {
            return done(control.setStreamMetadata(m.endpointId(), m.metadata()));
        } else if (request instanceof Request.RequireE2ee r) {
            return done(control.requireE2ee(r.conferenceId()));
        } else if (request instanceof Request.ApplyAnswer a) {
            return done(control.applyAnswer(a.endpointId(), a.sdp()));
        } else if (request instanceof Request.AddCandidate c) {
            return done(control.addRemoteCandidate(c.endpointId(), c.candidate(), c.sdpMid()));
        } else if (request instanceof Request.SetVideoQuality q) {
            return done(control.setVideoQuality(q.endpointId(), q.streamId(), q.trackId(), q.quality()));
        } else if (request instanceof Request.Close c) {
            return done(control.close(c.endpointId(), c.reason(), c.cause()));
        }
        setDraining(((Request.SetDraining) request).draining());
        return CompletableFuture.completedFuture(new Reply.Loaded(load()));
    }

    private static CompletionStage<Reply> done(CompletionStage<Void> stage) {
        return stage.thenApply(v -> new Reply.Done());
    }

    private static Reply refusal(Throwable failure) {
        Throwable t = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (t instanceof SfuException e) return new Reply.Refused(e.reason(), e.getMessage());
        LOG.warn("control request failed", t);
        return new Reply.Refused(FailureReason.INTERNAL, "the conference server node failed to do it ("
                + t.getClass().getSimpleName() + ")");
    }

    private static void reply(Message<Buffer> message, Reply reply) {
        message.reply(ControlCodec.encode(reply));
    }

    // ---------------------------------------------------------------- owners and heartbeats

    private void forget(String endpointId) {
        owners.remove(endpointId);
    }

    private void ownerLeft(String ownerNodeId) {
        List<String> orphans = owners.entrySet().stream().filter(e -> e.getValue().equals(ownerNodeId))
                .map(Map.Entry::getKey).toList();
        if (orphans.isEmpty()) return;
        LOG.warn("node {}: the appservice {} left the cluster; closing its {} endpoints", name, ownerNodeId,
                orphans.size());
        for (String endpoint : orphans) {
            owners.remove(endpoint);
            control.close(endpoint, OWNER_LEFT, CloseCause.CONTROL);
        }
    }

    private void heartbeat() {
        vertx.eventBus().publish(Addresses.HEARTBEAT, ControlCodec.encode(load()));
    }

    private NodeLoad load() {
        return new NodeLoad(name, clusterNodeId, address(), load.endpoints(), load.conferences(), load.maxEndpoints(),
                load.busyRatio(), draining || load.refusing(), sequence.incrementAndGet());
    }

    /** Stops serving: no more heartbeats or requests (the SFU itself is closed by its owner). */
    @Override
    public void close() {
        vertx.cancelTimer(heartbeatTimer);
        MessageConsumer<Buffer> c = consumer;
        if (c != null) c.unregister();
    }
}
