package org.conclave.sfu.control;

import java.util.Map;
import java.util.Objects;

/**
 * An SDP the SFU produced (its answer to a client's offer, or its own re-offer) with the metadata of every stream it
 * sends in it, keyed by msid stream id: what a Matrix client needs in {@code sdp_stream_metadata} to show one feed
 * per remote stream.
 */
public record SfuDescription(String sdp, Map<String, StreamMetadata> streams) {
    public SfuDescription {
        Objects.requireNonNull(sdp, "sdp");
        streams = Map.copyOf(streams);
    }
}
