package org.conclave.sfu.room;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.conclave.sfu.control.VideoQuality;
import org.conclave.sfu.forward.MediaKind;

/**
 * The video quality each receiver gets of each sender's video: full-res for a spotlighted participant's camera, else
 * what the receiver subscribed to. Tells the media path only about differences from what it was told before
 * (the media path starts every receiver on the thumbnail).
 */
final class VideoQualities {
    private record Key(String receiver, String sender, TrackRef track) {}

    private Map<Key, VideoQuality> applied = new HashMap<>();

    void apply(Collection<Participant> participants, Set<String> spotlight, RoomMedia media) {
        Map<Key, VideoQuality> next = new HashMap<>();
        for (Participant r : participants) {
            if (r.waiting) continue;
            for (Participant s : participants) {
                if (s == r || s.waiting) continue;
                boolean spotlit = spotlight.contains(s.endpointId);
                for (RoomTrack t : s.tracks) {
                    if (t.kind() != MediaKind.VIDEO) continue;
                    VideoQuality want = spotlit && s.purpose(t) == TrackPurpose.USERMEDIA
                            ? VideoQuality.FULL_RES
                            : r.subscriptions.getOrDefault(t.ref(), VideoQuality.THUMBNAIL);
                    Key key = new Key(r.endpointId, s.endpointId, t.ref());
                    if (want != applied.getOrDefault(key, VideoQuality.THUMBNAIL)) {
                        media.setVideoQuality(r.endpointId, s.endpointId, t.streamId(), t.trackId(), want);
                    }
                    if (want != VideoQuality.THUMBNAIL) next.put(key, want);
                }
            }
        }
        // Pairs that vanished (a track or endpoint gone) are forgotten: a new downstream starts on the thumbnail.
        applied = next;
    }
}
