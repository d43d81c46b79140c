package org.conclave.sfu.room;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.conclave.sfu.codec.MediaKind;
import org.conclave.sfu.control.StreamMetadata.Purpose;
import org.conclave.sfu.control.VideoQuality;

/**
 * The video quality each receiver gets of each sender's video: full-res for a spotlighted participant's camera, else
 * what the receiver subscribed to. Tells the media path only about differences from what it was told before
 * (the media path starts every receiver on the thumbnail), with the reason: "spotlight" when a spotlight raised it
 * or its end lowered it, else "subscription".
 *
 * <p>A pair's quality depends only on what its receiver asked and what its sender publishes, so an apply looks again
 * only at the pairs of participants whose part of that changed: O(N × changed), not O(N²) (issue #16).
 */
final class VideoQualities {
    static final String SPOTLIGHT = "spotlight";
    static final String SUBSCRIPTION = "subscription";

    /** What a receiver was told of one sender's video tracks: those not on the thumbnail, those a spotlight raised. */
    private record Cell(Map<TrackRef, VideoQuality> applied, Set<TrackRef> spotlit) {}

    private static final Cell NOTHING = new Cell(Map.of(), Set.of());

    /** What the last apply read of one participant, as receiver and as sender. */
    private record Input(boolean waiting, boolean spotlit, List<RoomTrack> tracks, List<Purpose> purposes,
            Map<TrackRef, VideoQuality> subscriptions) {}

    private final Map<String, Input> inputs = new HashMap<>();
    /** Receiver, then sender: cells that are not all thumbnails. */
    private final Map<String, Map<String, Cell>> told = new HashMap<>();

    void apply(Collection<Participant> participants, Set<String> spotlight, RoomMedia media) {
        List<Participant> changed = new ArrayList<>();
        Set<String> changedIds = new HashSet<>();
        for (Participant p : participants) {
            if (refresh(p, spotlight.contains(p.endpointId))) {
                changed.add(p);
                changedIds.add(p.endpointId);
            }
        }
        if (inputs.size() > participants.size()) forgetGone(participants);
        if (changed.isEmpty()) return;
        // Receivers in order, then senders in order: the calls come in the order a full pass would make them.
        for (Participant r : participants) {
            boolean rowChanged = changedIds.contains(r.endpointId);
            if (r.waiting) {
                if (rowChanged) told.remove(r.endpointId);
                continue;
            }
            Map<String, Cell> row = told.computeIfAbsent(r.endpointId, k -> new HashMap<>());
            for (Participant s : rowChanged ? participants : changed) {
                if (s != r) update(r, s, spotlight.contains(s.endpointId), row, media);
            }
            if (row.isEmpty()) told.remove(r.endpointId);
        }
    }

    /** Re-decides what {@code r} gets of {@code s}'s video tracks; tells the media path what differs. */
    private static void update(Participant r, Participant s, boolean spotlit, Map<String, Cell> row,
            RoomMedia media) {
        Cell before = row.getOrDefault(s.endpointId, NOTHING);
        Map<TrackRef, VideoQuality> applied = new HashMap<>();
        Set<TrackRef> raisedBy = new HashSet<>();
        if (!s.waiting) {
            for (RoomTrack t : s.tracks) {
                if (t.kind() != MediaKind.VIDEO) continue;
                VideoQuality asked = r.subscriptions.getOrDefault(t.ref(), VideoQuality.THUMBNAIL);
                boolean raised = spotlit && s.purpose(t) == Purpose.USERMEDIA && asked != VideoQuality.FULL_RES;
                VideoQuality want = raised ? VideoQuality.FULL_RES : asked;
                if (want != before.applied.getOrDefault(t.ref(), VideoQuality.THUMBNAIL)) {
                    String reason = raised || before.spotlit.contains(t.ref()) ? SPOTLIGHT : SUBSCRIPTION;
                    media.setVideoQuality(r.endpointId, s.endpointId, t.streamId(), t.trackId(), want, reason);
                }
                if (want != VideoQuality.THUMBNAIL) applied.put(t.ref(), want);
                if (raised) raisedBy.add(t.ref());
            }
        }
        // Pairs that vanished (a track gone, a sender waiting) are forgotten: a new downstream starts on the thumbnail.
        if (applied.isEmpty() && raisedBy.isEmpty()) row.remove(s.endpointId);
        else row.put(s.endpointId, new Cell(applied, raisedBy));
    }

    /** Whether what apply reads of {@code p} changed since the last apply (or it is new); remembers it. */
    private boolean refresh(Participant p, boolean spotlit) {
        Input was = inputs.get(p.endpointId);
        if (was != null && was.waiting == p.waiting && was.spotlit == spotlit && was.tracks.equals(p.tracks)
                && samePurposes(was.purposes, p) && was.subscriptions.equals(p.subscriptions)) {
            return false;
        }
        List<Purpose> purposes = new ArrayList<>();
        for (RoomTrack t : p.tracks) purposes.add(p.purpose(t));
        inputs.put(p.endpointId, new Input(p.waiting, spotlit, p.tracks, purposes, Map.copyOf(p.subscriptions)));
        return true;
    }

    private static boolean samePurposes(List<Purpose> was, Participant p) {
        for (int i = 0; i < was.size(); i++) {
            if (was.get(i) != p.purpose(p.tracks.get(i))) return false;
        }
        return true;
    }

    /** Drops the participants no longer there: their inputs, their rows, their column in every row. */
    private void forgetGone(Collection<Participant> participants) {
        Set<String> present = new HashSet<>();
        for (Participant p : participants) present.add(p.endpointId);
        for (Iterator<String> it = inputs.keySet().iterator(); it.hasNext(); ) {
            String id = it.next();
            if (present.contains(id)) continue;
            it.remove();
            told.remove(id);
            for (Map<String, Cell> row : told.values()) row.remove(id);
        }
        told.values().removeIf(Map::isEmpty);
    }
}
