package org.conclave.sfu.room;

import java.util.Objects;
import org.conclave.sfu.codec.MediaKind;

/** One track an endpoint publishes, named as receivers see it (its msid stream and track id). */
public record RoomTrack(String streamId, String trackId, MediaKind kind) {
    public RoomTrack {
        Objects.requireNonNull(streamId, "streamId");
        Objects.requireNonNull(trackId, "trackId");
        Objects.requireNonNull(kind, "kind");
    }

    TrackRef ref() {
        return new TrackRef(streamId, trackId);
    }
}
