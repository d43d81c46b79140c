package org.conclave.sfu.room;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.conclave.sfu.control.Role;
import org.conclave.sfu.control.StreamMetadata;
import org.conclave.sfu.control.StreamMetadata.Purpose;
import org.conclave.sfu.control.VideoQuality;
import org.conclave.sfu.codec.MediaKind;

/** One endpoint in a room: control-thread state. */
final class Participant {
    final String endpointId;
    final String participantId;
    final Role role;
    final long joinedAtNanos;
    boolean waiting;
    /** Whether its control data channel opened, and when (nanoTime): from then on it hears what the room says. */
    boolean channelOpen;
    long channelOpenedAtNanos;
    /** Muted by a host (or by "mute guests"): the SFU drops its audio. */
    boolean muted;
    /** Its media is refused as not end-to-end encrypted. */
    boolean mediaRefused;
    List<RoomTrack> tracks = List.of();
    /** What the client said about its own streams (by msid stream id), from signalling or its data channel. */
    private final Map<String, StreamMetadata> metadata = new LinkedHashMap<>();
    /** What this endpoint asked for, per sender track; absent means the thumbnail. */
    final Map<TrackRef, VideoQuality> subscriptions = new HashMap<>();

    Participant(String endpointId, String participantId, Role role, long joinedAtNanos) {
        this.endpointId = endpointId;
        this.participantId = participantId;
        this.role = role;
        this.joinedAtNanos = joinedAtNanos;
    }

    boolean isHost() {
        return role == Role.HOST;
    }

    /**
     * Takes what the client says about the streams it names (the others keep what it said before). What it said about
     * streams it does not publish is dropped once there are more than {@code limit} such streams. Returns whether
     * anything changed.
     */
    boolean describe(Map<String, StreamMetadata> streams, int limit) {
        boolean changed = false;
        for (Map.Entry<String, StreamMetadata> e : streams.entrySet()) {
            StreamMetadata own = StreamMetadata.own(e.getValue().purpose(), e.getValue().audioMuted(),
                    e.getValue().videoMuted());
            changed |= !own.equals(metadata.put(e.getKey(), own));
        }
        if (metadata.size() > limit) metadata.keySet().removeIf(stream -> !publishes(stream));
        return changed;
    }

    boolean hasMetadata() {
        return !metadata.isEmpty();
    }

    /** One of its streams as receivers see it: the client's metadata, muted also when a host muted it. */
    StreamMetadata stream(String streamId) {
        StreamMetadata m = metadata.get(streamId);
        Purpose purpose = m == null ? Purpose.USERMEDIA : m.purpose();
        boolean audioMuted = muted || m != null && m.audioMuted();
        return new StreamMetadata(purpose, audioMuted, m != null && m.videoMuted(), participantId);
    }

    Purpose purpose(RoomTrack t) {
        StreamMetadata m = metadata.get(t.streamId());
        return m == null ? Purpose.USERMEDIA : m.purpose();
    }

    boolean selfMuted() {
        for (StreamMetadata m : metadata.values()) {
            if (m.purpose() == Purpose.USERMEDIA && m.audioMuted()) return true;
        }
        return false;
    }

    /** Publishes audio but no video (a control-only endpoint, publishing nothing, is not audio-only). */
    boolean audioOnly() {
        boolean audio = false;
        for (RoomTrack t : tracks) {
            if (t.kind() == MediaKind.VIDEO) return false;
            audio = true;
        }
        return audio;
    }

    private boolean publishes(String streamId) {
        for (RoomTrack t : tracks) {
            if (t.streamId().equals(streamId)) return true;
        }
        return false;
    }

    RoomTrack track(TrackRef ref) {
        for (RoomTrack t : tracks) {
            if (t.streamId().equals(ref.streamId()) && t.trackId().equals(ref.trackId())) return t;
        }
        return null;
    }
}
