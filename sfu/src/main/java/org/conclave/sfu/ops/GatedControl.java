package org.conclave.sfu.ops;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
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
 * The control contract as the SFU offers it: the real one behind an admission gate (a draining node refuses new
 * endpoints with a sentence the caller can show; existing endpoints carry on), counting what happens
 * ({@link ControlCounters}) and keeping the {@link EndpointDirectory}. Everything else passes through unchanged.
 */
public final class GatedControl implements SfuControl {
    /** What a caller is told while the node drains; the appservice shows it to the participant. */
    public static final String DRAINING = "This conference server is not taking new calls right now (it is being"
            + " drained for maintenance). Calls already running go on; please try again in a few minutes.";

    private final SfuControl inner;
    private final ControlCounters counters = new ControlCounters();
    private final EndpointDirectory directory = new EndpointDirectory();
    private volatile boolean draining;

    public GatedControl(SfuControl inner) {
        this.inner = inner;
    }

    /** Starts (true) or ends (false) draining: while it drains, no new endpoint (hence no new conference) is accepted. */
    public void setDraining(boolean value) {
        draining = value;
    }

    public boolean draining() {
        return draining;
    }

    public ControlCounters counters() {
        return counters;
    }

    public EndpointDirectory directory() {
        return directory;
    }

    @Override
    public CompletionStage<EndpointAllocation> allocate(AllocateRequest request, EndpointListener listener) {
        if (draining) {
            counters.refused(true);
            return CompletableFuture.failedFuture(new SfuException(FailureReason.CAPACITY, DRAINING));
        }
        return inner.allocate(request, new Counting(listener)).whenComplete((allocation, failure) -> {
            if (failure != null) {
                counters.refused(false);
                return;
            }
            counters.allocated();
            directory.add(new EndpointDirectory.Entry(allocation.endpointId(), allocation.conferenceId(),
                    request.participantId()));
        });
    }

    /** Counts the endpoint's outcomes, then tells the caller's listener exactly what it would have heard. */
    private final class Counting implements EndpointListener {
        private final EndpointListener inner;

        Counting(EndpointListener inner) {
            this.inner = inner;
        }

        @Override
        public void onConnected(String endpointId) {
            counters.connected();
            inner.onConnected(endpointId);
        }

        @Override
        public void onFailed(String endpointId, FailureReason reason, String detail) {
            counters.failed(reason);
            inner.onFailed(endpointId, reason, detail);
        }

        @Override
        public void onClosed(String endpointId) {
            inner.onClosed(endpointId);
        }

        @Override
        public void onClosed(String endpointId, CloseCause cause, String detail) {
            counters.closed(cause);
            directory.remove(endpointId);
            inner.onClosed(endpointId, cause, detail);
        }

        @Override
        public void onOffer(String endpointId, String sdpOffer) {
            inner.onOffer(endpointId, sdpOffer);
        }

        @Override
        public void onOffer(String endpointId, SfuDescription offer) {
            inner.onOffer(endpointId, offer);
        }

        @Override
        public void onStreamMetadata(String endpointId, Map<String, StreamMetadata> streams) {
            inner.onStreamMetadata(endpointId, streams);
        }

        @Override
        public void onMediaRefused(String endpointId, String detail) {
            inner.onMediaRefused(endpointId, detail);
        }

        @Override
        public void onLayerChanged(String endpointId, String streamId, String trackId, VideoQuality quality,
                String reason) {
            inner.onLayerChanged(endpointId, streamId, trackId, quality, reason);
        }
    }

    /** Counts a client's SDP refused as unusable or beyond the limits (hostile offers show here). */
    private <T> CompletionStage<T> countingRefusedSdp(CompletionStage<T> result) {
        return result.whenComplete((value, failure) -> {
            Throwable cause = failure instanceof CompletionException c && c.getCause() != null ? c.getCause() : failure;
            if (cause instanceof SfuException e && e.reason() == FailureReason.BAD_SDP) {
                counters.refusedSdp(e.sdpLimit());
            }
        });
    }

    // ---------------------------------------------------------------- pass-through

    @Override
    public CompletionStage<SfuDescription> applyOffer(String endpointId, String sdpOffer,
            Map<String, StreamMetadata> metadata) {
        return countingRefusedSdp(inner.applyOffer(endpointId, sdpOffer, metadata));
    }

    @Override
    public CompletionStage<String> applyOffer(String endpointId, String sdpOffer) {
        return countingRefusedSdp(inner.applyOffer(endpointId, sdpOffer));
    }

    @Override
    public CompletionStage<Void> setStreamMetadata(String endpointId, Map<String, StreamMetadata> metadata) {
        return inner.setStreamMetadata(endpointId, metadata);
    }

    @Override
    public CompletionStage<Void> requireE2ee(String conferenceId) {
        return inner.requireE2ee(conferenceId);
    }

    @Override
    public CompletionStage<Void> applyAnswer(String endpointId, String sdpAnswer) {
        return countingRefusedSdp(inner.applyAnswer(endpointId, sdpAnswer));
    }

    @Override
    public CompletionStage<Void> addRemoteCandidate(String endpointId, String candidate, String sdpMid) {
        return inner.addRemoteCandidate(endpointId, candidate, sdpMid);
    }

    @Override
    public CompletionStage<Void> setVideoQuality(String endpointId, String streamId, String trackId,
            VideoQuality quality) {
        return inner.setVideoQuality(endpointId, streamId, trackId, quality);
    }

    @Override
    public CompletionStage<Void> close(String endpointId, String reason, CloseCause cause) {
        return inner.close(endpointId, reason, cause);
    }
}
