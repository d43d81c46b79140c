package org.conclave.appservice.call;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.conclave.sfu.control.AllocateRequest;
import org.conclave.sfu.control.EndpointAllocation;
import org.conclave.sfu.control.EndpointListener;
import org.conclave.sfu.control.FailureReason;
import org.conclave.sfu.control.SfuControl;
import org.conclave.sfu.control.SfuDescription;
import org.conclave.sfu.control.SfuException;
import org.conclave.sfu.control.StreamMetadata;
import org.conclave.sfu.control.VideoQuality;

/**
 * The SFU contract without an SFU: records every call as a line ("allocate !conf @a:hs/DEV GUEST e2ee=false"), answers
 * with {@link #ANSWER_SDP} plus the streams set in {@link #streams}, refuses offers containing {@link #BAD} and
 * allocations while {@link #full} is set. Events are raised by the test through {@link #listener}. Thread-safe.
 */
final class FakeSfu implements SfuControl {
    static final String ANSWER_SDP = "v=0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=mid:0\r\n"
            + "a=candidate:1 1 udp 2130706431 127.0.0.1 10000 typ host\r\n";
    static final String BAD = "BAD";

    private final List<String> calls = new ArrayList<>();
    private final Map<String, EndpointListener> listeners = new ConcurrentHashMap<>();
    private final AtomicInteger endpoints = new AtomicInteger();
    volatile Map<String, StreamMetadata> streams = Map.of();
    volatile boolean full;

    synchronized List<String> calls() {
        return List.copyOf(calls);
    }

    private synchronized void record(String call) {
        calls.add(call);
    }

    /** The listener the bot gave for that endpoint. */
    EndpointListener listener(String endpointId) {
        EndpointListener l = listeners.get(endpointId);
        if (l == null) throw new AssertionError("no endpoint " + endpointId + "; calls " + calls());
        return l;
    }

    @Override
    public CompletionStage<EndpointAllocation> allocate(AllocateRequest request, EndpointListener listener) {
        record("allocate " + request.conferenceId() + " " + request.participantId() + " " + request.role()
                + " e2ee=" + request.requireE2ee());
        if (full) return CompletableFuture.failedFuture(new SfuException(FailureReason.CAPACITY, "the SFU is full"));
        String id = "ep" + endpoints.incrementAndGet();
        listeners.put(id, listener);
        return CompletableFuture.completedFuture(new EndpointAllocation(id, request.conferenceId()));
    }

    @Override
    public CompletionStage<SfuDescription> applyOffer(String endpointId, String sdpOffer,
            Map<String, StreamMetadata> metadata) {
        record("applyOffer " + endpointId + " " + sdpOffer + " " + metadata);
        if (sdpOffer.contains(BAD)) {
            return CompletableFuture.failedFuture(new SfuException(FailureReason.BAD_SDP, "the offer has no BUNDLE"));
        }
        return CompletableFuture.completedFuture(new SfuDescription(ANSWER_SDP, streams));
    }

    @Override
    public CompletionStage<Void> setStreamMetadata(String endpointId, Map<String, StreamMetadata> metadata) {
        record("metadata " + endpointId + " " + metadata);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<Void> requireE2ee(String conferenceId) {
        record("requireE2ee " + conferenceId);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<Void> applyAnswer(String endpointId, String sdpAnswer) {
        record("applyAnswer " + endpointId + " " + sdpAnswer);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<Void> addRemoteCandidate(String endpointId, String candidate, String sdpMid) {
        record("candidate " + endpointId + " " + candidate);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<Void> setVideoQuality(String endpointId, String streamId, String trackId,
            VideoQuality quality) {
        record("quality " + endpointId);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<Void> close(String endpointId, String reason,
            org.conclave.sfu.control.CloseCause cause) {
        record("close " + endpointId + " " + reason);
        return CompletableFuture.completedFuture(null);
    }
}
