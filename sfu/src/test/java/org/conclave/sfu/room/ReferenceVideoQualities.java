package org.conclave.sfu.room;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.conclave.sfu.control.VideoQuality;
import org.conclave.sfu.codec.MediaKind;

/**
 * The video qualities as they were before issue #16 (main at a3ecdae), kept verbatim as the specification: each apply
 * looks at every receiver-sender pair, O(N²). {@link VideoQualities} must make exactly the calls this makes.
 */
final class ReferenceVideoQualities {
    static final String SPOTLIGHT = "spotlight";
    static final String SUBSCRIPTION = "subscription";

    private record Key(String receiver, String sender, TrackRef track) {}

    private Map<Key, VideoQuality> applied = new HashMap<>();
    /** Pairs that are full-res because of a spotlight (not because the receiver asked). */
    private Set<Key> spotlit = new HashSet<>();

    void apply(Collection<Participant> participants, Set<String> spotlight, RoomMedia media) {
        Map<Key, VideoQuality> next = new HashMap<>();
        Set<Key> nextSpotlit = new HashSet<>();
        for (Participant r : participants) {
            if (r.waiting) continue;
            for (Participant s : participants) {
                if (s == r || s.waiting) continue;
                boolean spotlit = spotlight.contains(s.endpointId);
                for (RoomTrack t : s.tracks) {
                    if (t.kind() != MediaKind.VIDEO) continue;
                    Key key = new Key(r.endpointId, s.endpointId, t.ref());
                    VideoQuality asked = r.subscriptions.getOrDefault(t.ref(), VideoQuality.THUMBNAIL);
                    boolean raised = spotlit && s.purpose(t) == org.conclave.sfu.control.StreamMetadata.Purpose.USERMEDIA
                            && asked != VideoQuality.FULL_RES;
                    VideoQuality want = raised ? VideoQuality.FULL_RES : asked;
                    if (want != applied.getOrDefault(key, VideoQuality.THUMBNAIL)) {
                        String reason = raised || this.spotlit.contains(key) ? SPOTLIGHT : SUBSCRIPTION;
                        media.setVideoQuality(r.endpointId, s.endpointId, t.streamId(), t.trackId(), want, reason);
                    }
                    if (want != VideoQuality.THUMBNAIL) next.put(key, want);
                    if (raised) nextSpotlit.add(key);
                }
            }
        }
        // Pairs that vanished (a track or endpoint gone) are forgotten: a new downstream starts on the thumbnail.
        applied = next;
        spotlit = nextSpotlit;
    }
}
