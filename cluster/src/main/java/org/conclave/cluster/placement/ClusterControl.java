package org.conclave.cluster.placement;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.conclave.cluster.Addresses;
import org.conclave.cluster.Membership;
import org.conclave.cluster.wire.ControlCodec;
import org.conclave.cluster.wire.NodeLoad;
import org.conclave.cluster.wire.Reply;
import org.conclave.cluster.wire.Request;
import org.conclave.cluster.wire.NodeEvent;
import org.conclave.cluster.wire.WireException;
import org.conclave.sfu.control.AllocateRequest;
import org.conclave.sfu.control.CloseCause;
import org.conclave.sfu.control.EndpointAllocation;
import org.conclave.sfu.control.EndpointListener;
import org.conclave.sfu.control.FailureReason;
import org.conclave.sfu.control.SfuControl;
import org.conclave.sfu.control.SfuDescription;
import org.conclave.sfu.control.SfuException;
import org.conclave.sfu.control.StreamMetadata;
import org.conclave.sfu.control.VideoQuality;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control contract as an appservice in a cluster sees it: each call travels over the event bus to the SFU node
 * that holds the endpoint, and a new conference is placed on a node first ({@link Placement}; a node that refuses for
 * capacity or cannot be reached is skipped, the next one tried). A conference stays on its node while it has endpoints.
 * Allocations of one conference run one after the other, so two first participants cannot place it twice. The nodes'
 * events come back to this appservice's address and reach the endpoint's listener. When a node dies (silent for
 * {@code cluster.node_timeout_ms}, left the cluster, or restarted), every endpoint on it fails with
 * {@link FailureReason#NODE_FAILED} and closes: nothing keeps pointing at it. A node counts as alive again only once it
 * is a member of the cluster again and heard. All state lives on one Vert.x context.
 */
public final class ClusterControl implements SfuControl, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterControl.class);
    /** What a participant is told when no node can take a new conference. */
    public static final String NO_NODE = "No conference server node can take a new conference right now: every "
            + "node is full or being drained for maintenance. Please try again in a few minutes.";
    /** The detail of an endpoint lost with its node. */
    public static final String NODE_FAILED = "the conference server node this call was on failed";

    private final Vertx vertx;
    private final Context context;
    private final String localNodeId;
    private final Membership membership;
    private final LongSupplier nanos;
    private final NodeRequests requests;
    private final NodeTable nodes;
    private final Placed placed = new Placed();
    private final Map<String, Future<?>> allocating = new HashMap<>();
    private final ClusterCounters counters = new ClusterCounters();
    private final long expiryTimer;
    private final List<MessageConsumer<Buffer>> consumers = new ArrayList<>();

    private ClusterControl(Vertx vertx, Membership membership, long nodeTimeoutMs, long heartbeatIntervalMs,
            long requestTimeoutMs, LongSupplier nanos) {
        this.vertx = vertx;
        this.context = vertx.getOrCreateContext();
        this.localNodeId = membership.localNodeId();
        this.membership = membership;
        this.nanos = nanos;
        this.nodes = new NodeTable(nodeTimeoutMs);
        this.requests = new NodeRequests(vertx, requestTimeoutMs, nodes::current);
        membership.onMemberLeft(id -> context.runOnContext(v -> memberLeft(id)));
        this.expiryTimer = vertx.setPeriodic(Math.max(50, heartbeatIntervalMs / 4),
                id -> context.runOnContext(v -> expire()));
    }

    /** Starts listening for heartbeats and events; completes once both consumers are registered cluster-wide. */
    public static Future<ClusterControl> start(Vertx vertx, Membership membership, long nodeTimeoutMs,
            long heartbeatIntervalMs, long requestTimeoutMs, LongSupplier nanos) {
        ClusterControl control = new ClusterControl(vertx, membership, nodeTimeoutMs, heartbeatIntervalMs,
                requestTimeoutMs, nanos);
        Promise<Void> registered = Promise.promise();
        control.context.runOnContext(v -> {
            MessageConsumer<Buffer> heartbeats = vertx.eventBus().consumer(Addresses.HEARTBEAT,
                    m -> control.onHeartbeat(m.body()));
            MessageConsumer<Buffer> events = vertx.eventBus().consumer(Addresses.events(control.localNodeId),
                    m -> control.onEvent(m.body()));
            control.consumers.add(heartbeats);
            control.consumers.add(events);
            Future.all(heartbeats.completion(), events.completion()).<Void>mapEmpty().onComplete(registered);
        });
        return registered.future().map(control);
    }

    public ClusterCounters counters() {
        return counters;
    }

    // ---------------------------------------------------------------- allocation and placement

    @Override
    public CompletionStage<EndpointAllocation> allocate(AllocateRequest request, EndpointListener listener) {
        return onContext(() -> {
            String conference = request.conferenceId();
            Future<?> previous = allocating.getOrDefault(conference, Future.succeededFuture());
            Future<EndpointAllocation> mine = previous.transform(x -> place(request, listener));
            allocating.put(conference, mine);
            return mine.onComplete(x -> allocating.remove(conference, mine));
        });
    }

    private Future<EndpointAllocation> place(AllocateRequest request, EndpointListener listener) {
        String on = placed.nodeOf(request.conferenceId());
        NodeLoad node = on == null ? null : nodes.alive(on);
        if (node != null) return allocateOn(node, request, listener);
        List<NodeLoad> candidates = Placement.candidates(nodes.aliveNodes(), placed::endpointsOn,
                placed::conferencesOn);
        return tryNodes(candidates, 0, request, listener);
    }

    private Future<EndpointAllocation> tryNodes(List<NodeLoad> candidates, int i, AllocateRequest request,
            EndpointListener listener) {
        if (i == candidates.size()) {
            counters.refused();
            LOG.warn("conference {}: no node can take it ({} alive)", request.conferenceId(),
                    nodes.aliveNodes().size());
            return Future.failedFuture(new SfuException(FailureReason.CAPACITY, NO_NODE));
        }
        NodeLoad node = candidates.get(i);
        return allocateOn(node, request, listener).recover(x -> {
            boolean full = x instanceof SfuException e && e.reason() == FailureReason.CAPACITY;
            if (!full && !(x instanceof NodeRequests.Unreachable)) return Future.failedFuture(x);
            LOG.info("conference {}: node {} refused it ({}); trying the next", request.conferenceId(), node.node(),
                    x.getMessage());
            return tryNodes(candidates, i + 1, request, listener);
        });
    }

    private Future<EndpointAllocation> allocateOn(NodeLoad node, AllocateRequest request, EndpointListener listener) {
        Request.Allocate allocate = new Request.Allocate(request, localNodeId, Addresses.events(localNodeId));
        return requests.request(node, allocate).map(reply -> ((Reply.Allocated) reply).allocation())
                .compose(allocation -> allocated(node, request, listener, allocation));
    }

    private Future<EndpointAllocation> allocated(NodeLoad node, AllocateRequest request, EndpointListener listener,
            EndpointAllocation allocation) {
        if (!nodes.current(node)) {
            // It died while answering: the endpoint went with it.
            requests.send(node, new Request.Close(allocation.endpointId(), "its node was declared dead",
                    CloseCause.CONTROL));
            return Future.failedFuture(new SfuException(FailureReason.NODE_FAILED, NODE_FAILED));
        }
        if (placed.add(allocation.endpointId(), new Placed.Remote(node, request.conferenceId(), listener))) {
            LOG.info("conference {} placed on node {}", request.conferenceId(), node.node());
        }
        return Future.succeededFuture(allocation);
    }

    // ---------------------------------------------------------------- calls on an endpoint

    @Override
    public CompletionStage<SfuDescription> applyOffer(String endpointId, String sdpOffer,
            Map<String, StreamMetadata> metadata) {
        return onEndpoint(endpointId, new Request.ApplyOffer(endpointId, sdpOffer, metadata))
                .thenApply(reply -> ((Reply.Described) reply).description());
    }

    @Override
    public CompletionStage<Void> setStreamMetadata(String endpointId, Map<String, StreamMetadata> metadata) {
        return done(onEndpoint(endpointId, new Request.SetStreamMetadata(endpointId, metadata)));
    }

    @Override
    public CompletionStage<Void> requireE2ee(String conferenceId) {
        return done(onContext(() -> {
            NodeLoad node = nodes.alive(Objects.requireNonNullElse(placed.nodeOf(conferenceId), ""));
            return node == null ? Future.succeededFuture(new Reply.Done())
                    : requests.request(node, new Request.RequireE2ee(conferenceId));
        }));
    }

    @Override
    public CompletionStage<Void> applyAnswer(String endpointId, String sdpAnswer) {
        return done(onEndpoint(endpointId, new Request.ApplyAnswer(endpointId, sdpAnswer)));
    }

    @Override
    public CompletionStage<Void> addRemoteCandidate(String endpointId, String candidate, String sdpMid) {
        return done(onEndpoint(endpointId, new Request.AddCandidate(endpointId, candidate, sdpMid)));
    }

    @Override
    public CompletionStage<Void> setVideoQuality(String endpointId, String streamId, String trackId,
            VideoQuality quality) {
        return done(onEndpoint(endpointId, new Request.SetVideoQuality(endpointId, streamId, trackId, quality)));
    }

    /** The endpoint's onClosed follows from its node; closing an unknown (or already lost) endpoint is a no-op. */
    @Override
    public CompletionStage<Void> close(String endpointId, String reason, CloseCause cause) {
        return done(onContext(() -> {
            Placed.Remote r = placed.endpoint(endpointId);
            return r == null ? Future.succeededFuture(new Reply.Done())
                    : requests.request(r.node(), new Request.Close(endpointId, reason, cause));
        }));
    }

    private CompletionStage<Reply> onEndpoint(String endpointId, Request request) {
        return onContext(() -> {
            Placed.Remote r = placed.endpoint(endpointId);
            if (r == null) {
                return Future.failedFuture(new SfuException(FailureReason.INTERNAL, "no endpoint " + endpointId
                        + " in this cluster (its node may have failed)"));
            }
            return requests.request(r.node(), request);
        });
    }

    // ---------------------------------------------------------------- the nodes' messages

    private void onHeartbeat(Buffer body) {
        NodeLoad load;
        try {
            load = ControlCodec.decodeLoad(body);
        } catch (WireException e) {
            LOG.warn("ignoring an unreadable heartbeat: {}", e.getMessage());
            return;
        }
        heard(load);
    }

    private void heard(NodeLoad load) {
        if (!membership.isMember(load.clusterNodeId())) {
            // Removed from the cluster (frozen, cut off) yet one of its heartbeats got through: its requests would
            // find no consumer, so it stays dead until it merges back into the cluster.
            LOG.info("ignoring a heartbeat of node {}: not a member of the cluster now", load.node());
            return;
        }
        NodeTable.Heard heard = nodes.heard(load, nanos.getAsLong());
        counters.nodesAlive(nodes.aliveNodes().size());
        if (heard.replaced() != null) nodeFailed(heard.replaced(), "it restarted");
        if (heard.arrived()) LOG.info("node {} joined ({} endpoints, draining {})", load.node(), load.endpoints(),
                load.draining());
    }

    private void onEvent(Buffer body) {
        NodeEvent event;
        try {
            event = ControlCodec.decodeEvent(body);
        } catch (WireException e) {
            LOG.warn("ignoring an unreadable endpoint event: {}", e.getMessage());
            return;
        }
        Placed.Remote r = placed.endpoint(event.endpointId());
        if (r == null || !r.node().node().equals(event.node())) {
            orphan(event);
            return;
        }
        if (event instanceof NodeEvent.Closed) {
            forget(event.endpointId(), r);
        }
        NodeEvents.deliver(event, r.listener());
    }

    /**
     * An event of an endpoint this appservice does not hold (lost with a node declared dead): it must go, and no
     * call hears of it. A node not alive here cannot be reached; it closes the endpoints itself once it learns this
     * appservice left its cluster ({@code SfuNode}), and its next event after it is back comes here again.
     */
    private void orphan(NodeEvent event) {
        if (event instanceof NodeEvent.Closed) return;
        NodeLoad node = nodes.alive(event.node());
        if (node == null) {
            LOG.info("ignoring an event of endpoint {} of node {}, which is not alive here", event.endpointId(),
                    event.node());
            return;
        }
        LOG.info("closing endpoint {} on node {}: this appservice no longer holds it", event.endpointId(),
                event.node());
        requests.send(node, new Request.Close(event.endpointId(), "no call holds it", CloseCause.CONTROL));
    }

    private void forget(String endpointId, Placed.Remote r) {
        if (placed.remove(endpointId, r)) {
            LOG.info("conference {} ended on node {}", r.conferenceId(), r.node().node());
        }
    }

    // ---------------------------------------------------------------- node failure

    private void expire() {
        for (NodeLoad dead : nodes.expire(nanos.getAsLong())) nodeFailed(dead, "no heartbeat");
    }

    private void memberLeft(String clusterNodeId) {
        NodeLoad dead = nodes.left(clusterNodeId);
        if (dead != null) nodeFailed(dead, "it left the cluster");
    }

    /** Every endpoint on that start of the node fails and closes; its conferences are placed anew on their next call. */
    private void nodeFailed(NodeLoad node, String why) {
        List<Map.Entry<String, Placed.Remote>> lost = placed.lostWith(node);
        LOG.warn("node {} failed ({}): ending its {} calls", node.node(), why, lost.size());
        counters.nodesAlive(nodes.aliveNodes().size());
        counters.nodeFailed(lost.size());
        for (Map.Entry<String, Placed.Remote> e : lost) {
            // A node only declared dead may still run: its endpoints must not outlive their calls.
            requests.send(node, new Request.Close(e.getKey(), "its node was declared dead", CloseCause.CONTROL));
            e.getValue().listener().onFailed(e.getKey(), FailureReason.NODE_FAILED, NODE_FAILED);
            e.getValue().listener().onClosed(e.getKey(), CloseCause.FAILURE, NODE_FAILED);
        }
    }

    // ---------------------------------------------------------------- operators

    /** Every node heard of, for the admin API, with what this appservice placed on it. */
    public CompletionStage<List<NodeView>> nodes() {
        return onContext(() -> {
            long now = nanos.getAsLong();
            List<NodeView> views = new ArrayList<>();
            for (NodeTable.Entry e : nodes.all()) {
                String name = e.load().node();
                views.add(new NodeView(e.load(), e.alive(), TimeUnit.NANOSECONDS.toMillis(now - e.heardNanos()),
                        e.alive() ? placed.endpointsOn(name) : 0, e.alive() ? placed.placedConferences(name)
                        : List.of()));
            }
            return Future.succeededFuture(views);
        });
    }

    /** Starts or ends a node's drain; fails with NOT_FOUND for a node not alive. */
    public CompletionStage<Void> setDraining(String name, boolean draining) {
        return done(onContext(() -> {
            NodeLoad node = nodes.alive(name);
            if (node == null) {
                return Future.failedFuture(new SfuException(FailureReason.NOT_FOUND, "no node " + name
                        + " is alive in the cluster"));
            }
            return requests.request(node, new Request.SetDraining(draining))
                    .onSuccess(reply -> heard(((Reply.Loaded) reply).load()));
        }));
    }

    /**
     * Shutdown of this appservice: every endpoint it holds closes now (its listener hears
     * {@link CloseCause#SHUTDOWN} at once; the nodes are told without waiting). Completes with how many.
     */
    public CompletionStage<Integer> closeAllForShutdown(String detail) {
        return onContext(() -> {
            List<Map.Entry<String, Placed.Remote>> all = placed.clear();
            for (Map.Entry<String, Placed.Remote> e : all) {
                requests.send(e.getValue().node(), new Request.Close(e.getKey(), detail, CloseCause.SHUTDOWN));
                e.getValue().listener().onClosed(e.getKey(), CloseCause.SHUTDOWN, detail);
            }
            return Future.succeededFuture(all.size());
        });
    }

    @Override
    public void close() {
        vertx.cancelTimer(expiryTimer);
        consumers.forEach(MessageConsumer::unregister);
    }

    private <T> CompletionStage<T> onContext(Supplier<Future<T>> work) {
        CompletableFuture<T> result = new CompletableFuture<>();
        context.runOnContext(v -> {
            Future<T> f;
            try {
                f = work.get();
            } catch (RuntimeException e) {
                f = Future.failedFuture(e);
            }
            f.onComplete(ar -> {
                if (ar.succeeded()) {
                    result.complete(ar.result());
                } else {
                    Throwable x = ar.cause();
                    result.completeExceptionally(x instanceof NodeRequests.Unreachable
                            ? new SfuException(FailureReason.INTERNAL, x.getMessage()) : x);
                }
            });
        });
        return result;
    }

    private static CompletionStage<Void> done(CompletionStage<Reply> stage) {
        return stage.thenApply(x -> null);
    }
}
