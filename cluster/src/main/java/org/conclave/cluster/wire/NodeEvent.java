package org.conclave.cluster.wire;

import java.util.Map;
import org.conclave.sfu.control.CloseCause;
import org.conclave.sfu.control.FailureReason;
import org.conclave.sfu.control.SfuDescription;
import org.conclave.sfu.control.StreamMetadata;
import org.conclave.sfu.control.VideoQuality;

/**
 * One {@link org.conclave.sfu.control.EndpointListener} call of an endpoint, sent by its SFU node ({@link #node}, its
 * name) to the appservice that allocated it.
 */
public sealed interface NodeEvent {
    String node();

    String endpointId();

    record Connected(String node, String endpointId) implements NodeEvent {}

    record Failed(String node, String endpointId, FailureReason reason, String detail) implements NodeEvent {}

    record Closed(String node, String endpointId, CloseCause cause, String detail) implements NodeEvent {}

    record Offer(String node, String endpointId, SfuDescription offer) implements NodeEvent {}

    record Metadata(String node, String endpointId, Map<String, StreamMetadata> streams) implements NodeEvent {
        public Metadata {
            streams = Map.copyOf(streams);
        }
    }

    record MediaRefused(String node, String endpointId, String detail) implements NodeEvent {}

    record LayerChanged(String node, String endpointId, String streamId, String trackId, VideoQuality quality,
            String reason) implements NodeEvent {}
}
