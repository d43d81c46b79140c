package org.conclave.cluster.placement;

import io.vertx.core.Vertx;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.conclave.cluster.Membership;
import org.conclave.cluster.node.LoadSource;
import org.conclave.cluster.node.SfuNode;
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

/**
 * A real {@link SfuNode} on a (non-clustered) Vert.x event bus in front of a fake SFU: endpoints are names, their
 * listeners are kept so a test can make the SFU speak, and it can be made full.
 */
final class FakeNode implements SfuControl, LoadSource, Membership, AutoCloseable {
    static final long HEARTBEAT_MS = 50;

    final String name;
    final Map<String, EndpointListener> listeners = new ConcurrentHashMap<>();
    final Map<String, String> conferenceOf = new ConcurrentHashMap<>();
    final List<String> closed = new CopyOnWriteArrayList<>();
    final Map<String, String> closeReasons = new ConcurrentHashMap<>();
    private final List<Consumer<String>> leftListeners = new CopyOnWriteArrayList<>();
    volatile boolean full;
    volatile int maxEndpoints = 500;
    final SfuNode node;
    private int next;

    FakeNode(Vertx vertx, String name) throws Exception {
        this.name = name;
        this.node = SfuNode.start(vertx, name, this, this, this, HEARTBEAT_MS, false).await(5, TimeUnit.SECONDS);
    }

    // ---- Membership: this node's own view (a test says who left)

    @Override
    public String localNodeId() {
        return "id-" + name;
    }

    @Override
    public boolean isMember(String clusterNodeId) {
        return true;
    }

    @Override
    public void onMemberLeft(Consumer<String> listener) {
        leftListeners.add(listener);
    }

    /** The cluster tells this node that the member of that cluster node id left. */
    void memberLeft(String clusterNodeId) {
        leftListeners.forEach(l -> l.accept(clusterNodeId));
    }

    // ---- LoadSource

    @Override
    public int endpoints() {
        return listeners.size();
    }

    @Override
    public int conferences() {
        return (int) conferenceOf.values().stream().distinct().count();
    }

    @Override
    public int maxEndpoints() {
        return maxEndpoints;
    }

    @Override
    public double busyRatio() {
        return 0;
    }

    @Override
    public boolean refusing() {
        return false;
    }

    // ---- SfuControl

    @Override
    public synchronized CompletionStage<EndpointAllocation> allocate(AllocateRequest request,
            EndpointListener listener) {
        if (full) return CompletableFuture.failedFuture(new SfuException(FailureReason.CAPACITY, name + " is full"));
        String id = name + "-ep" + (++next);
        listeners.put(id, listener);
        conferenceOf.put(id, request.conferenceId());
        return CompletableFuture.completedFuture(new EndpointAllocation(id, request.conferenceId()));
    }

    @Override
    public CompletionStage<SfuDescription> applyOffer(String endpointId, String sdpOffer,
            Map<String, StreamMetadata> metadata) {
        if (!listeners.containsKey(endpointId)) {
            return CompletableFuture.failedFuture(new SfuException(FailureReason.INTERNAL, "no endpoint"));
        }
        return CompletableFuture.completedFuture(new SfuDescription("answer to " + sdpOffer, metadata));
    }

    @Override
    public CompletionStage<Void> setStreamMetadata(String endpointId, Map<String, StreamMetadata> metadata) {
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<Void> requireE2ee(String conferenceId) {
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<Void> applyAnswer(String endpointId, String sdpAnswer) {
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<Void> addRemoteCandidate(String endpointId, String candidate, String sdpMid) {
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<Void> setVideoQuality(String endpointId, String streamId, String trackId,
            VideoQuality quality) {
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<Void> close(String endpointId, String reason, CloseCause cause) {
        EndpointListener l = listeners.remove(endpointId);
        conferenceOf.remove(endpointId);
        closeReasons.put(endpointId, cause + " " + reason);
        closed.add(endpointId);
        if (l != null) l.onClosed(endpointId, cause, reason);
        return CompletableFuture.completedFuture(null);
    }

    /** Stops the node's heartbeats and requests, as a process that froze. */
    @Override
    public void close() {
        node.close();
    }
}
