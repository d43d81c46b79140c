package org.conclave.sfu.room;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.conclave.sfu.control.Role;
import org.conclave.sfu.control.VideoQuality;
import org.conclave.sfu.forward.MediaKind;
import org.conclave.sfu.room.ControlMessage.StreamMetadata;

/** One endpoint in a room: control-thread state. */
final class Participant {
    final String endpointId;
    final String participantId;
    final Role role;
    final long joinedAtNanos;
    boolean waiting;
    /** Muted by a host (or by "mute guests"): the SFU drops its audio. */
    boolean muted;
    /** Its media is refused as not end-to-end encrypted. */
    boolean mediaRefused;
    List<RoomTrack> tracks = List.of();
    Map<String, StreamMetadata> metadata = Map.of();
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

    TrackPurpose purpose(RoomTrack t) {
        StreamMetadata m = metadata.get(t.streamId());
        return m == null ? TrackPurpose.USERMEDIA : m.purpose();
    }

    boolean selfMuted() {
        for (StreamMetadata m : metadata.values()) {
            if (m.purpose() == TrackPurpose.USERMEDIA && m.audioMuted()) return true;
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

    RoomTrack track(TrackRef ref) {
        for (RoomTrack t : tracks) {
            if (t.streamId().equals(ref.streamId()) && t.trackId().equals(ref.trackId())) return t;
        }
        return null;
    }
}
