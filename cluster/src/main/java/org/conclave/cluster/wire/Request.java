package org.conclave.cluster.wire;

import java.util.Map;
import java.util.Objects;
import org.conclave.sfu.control.AllocateRequest;
import org.conclave.sfu.control.CloseCause;
import org.conclave.sfu.control.StreamMetadata;
import org.conclave.sfu.control.VideoQuality;

/** A call of the control contract ({@link org.conclave.sfu.control.SfuControl}) sent to an SFU node. */
public sealed interface Request {
    /**
     * @param owner the Vert.x cluster node id of the appservice that allocates: the node closes the endpoint when
     *     that process leaves the cluster
     * @param events the event-bus address the endpoint's events go to
     */
    record Allocate(AllocateRequest request, String owner, String events) implements Request {
        public Allocate {
            Objects.requireNonNull(request, "request");
            Objects.requireNonNull(owner, "owner");
            Objects.requireNonNull(events, "events");
        }
    }

    record ApplyOffer(String endpointId, String sdp, Map<String, StreamMetadata> metadata) implements Request {
        public ApplyOffer {
            metadata = Map.copyOf(metadata);
        }
    }

    record SetStreamMetadata(String endpointId, Map<String, StreamMetadata> metadata) implements Request {
        public SetStreamMetadata {
            metadata = Map.copyOf(metadata);
        }
    }

    record RequireE2ee(String conferenceId) implements Request {}

    record ApplyAnswer(String endpointId, String sdp) implements Request {}

    /** @param sdpMid null when the candidate named none */
    record AddCandidate(String endpointId, String candidate, String sdpMid) implements Request {}

    record SetVideoQuality(String endpointId, String streamId, String trackId, VideoQuality quality)
            implements Request {}

    record Close(String endpointId, String reason, CloseCause cause) implements Request {}

    /** Not part of the contract: starts or ends the node's drain (no new conferences are placed on it). */
    record SetDraining(boolean draining) implements Request {}
}
