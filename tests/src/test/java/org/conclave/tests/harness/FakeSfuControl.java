package org.conclave.tests.harness;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.conclave.sfu.control.AllocateRequest;
import org.conclave.sfu.control.EndpointAllocation;
import org.conclave.sfu.control.EndpointListener;
import org.conclave.sfu.control.FailureReason;
import org.conclave.sfu.control.SfuControl;
import org.conclave.sfu.control.SfuException;

/**
 * An {@link SfuControl} that records its calls, answers offers with a canned SDP, and lets a test fire endpoint
 * events. An offer containing {@value #REFUSE_MARKER}{@code REASON} is refused with that reason.
 */
final class FakeSfuControl implements SfuControl {
    static final String ANSWER = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=canned answer\r\n";
    static final String REFUSE_MARKER = "refuse:";

    final List<String> calls = new CopyOnWriteArrayList<>();
    final List<AllocateRequest> allocations = new CopyOnWriteArrayList<>();
    private final Map<String, EndpointListener> listeners = new ConcurrentHashMap<>();
    private final AtomicInteger nextId = new AtomicInteger();

    EndpointListener listener(String endpointId) {
        return listeners.get(endpointId);
    }

    @Override
    public CompletionStage<EndpointAllocation> allocate(AllocateRequest request, EndpointListener listener) {
        String id = "ep-" + nextId.incrementAndGet();
        allocations.add(request);
        listeners.put(id, listener);
        calls.add("allocate " + id);
        return CompletableFuture.completedFuture(new EndpointAllocation(id, request.conferenceId()));
    }

    @Override
    public CompletionStage<org.conclave.sfu.control.SfuDescription> applyOffer(String endpointId, String sdpOffer,
            java.util.Map<String, org.conclave.sfu.control.StreamMetadata> metadata) {
        return applySdp(endpointId, sdpOffer).thenApply(sdp -> new org.conclave.sfu.control.SfuDescription(sdp,
                java.util.Map.of()));
    }

    @Override
    public CompletionStage<Void> setStreamMetadata(String endpointId,
            java.util.Map<String, org.conclave.sfu.control.StreamMetadata> metadata) {
        calls.add("metadata " + endpointId + " " + metadata);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<Void> requireE2ee(String conferenceId) {
        calls.add("requireE2ee " + conferenceId);
        return CompletableFuture.completedFuture(null);
    }

    private CompletionStage<String> applySdp(String endpointId, String sdpOffer) {
        calls.add("applyOffer " + endpointId + " " + sdpOffer);
        int refuse = sdpOffer.indexOf(REFUSE_MARKER);
        if (refuse >= 0) {
            FailureReason reason = FailureReason.valueOf(sdpOffer.substring(refuse + REFUSE_MARKER.length()).strip());
            // Asynchronous failure, as a real implementation reports it.
            return CompletableFuture.supplyAsync(() -> {
                throw new SfuException(reason, "refused: " + reason);
            });
        }
        return CompletableFuture.completedFuture(ANSWER);
    }

    @Override
    public CompletionStage<Void> applyAnswer(String endpointId, String sdpAnswer) {
        calls.add("applyAnswer " + endpointId + " " + sdpAnswer);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<Void> addRemoteCandidate(String endpointId, String candidate, String sdpMid) {
        calls.add("addRemoteCandidate " + endpointId + " [" + candidate + "] " + sdpMid);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<Void> setVideoQuality(String endpointId, String streamId, String trackId,
            org.conclave.sfu.control.VideoQuality quality) {
        calls.add("quality " + endpointId + " " + streamId + " " + trackId + " " + quality);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<Void> close(String endpointId, String reason,
            org.conclave.sfu.control.CloseCause cause) {
        calls.add("close " + endpointId + " " + reason);
        if (!listeners.containsKey(endpointId)) {
            throw new SfuException(FailureReason.INTERNAL, "unknown endpoint " + endpointId);
        }
        return CompletableFuture.completedFuture(null);
    }
}
