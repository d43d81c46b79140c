package org.conclave.sfu.room;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.AbstractCollection;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.conclave.sfu.codec.MediaKind;
import org.conclave.sfu.control.Role;
import org.conclave.sfu.control.StreamMetadata;
import org.conclave.sfu.control.StreamMetadata.Purpose;
import org.conclave.sfu.control.VideoQuality;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link VideoQualities} against {@link ReferenceVideoQualities}, and what one change costs it. */
class VideoQualitiesTest {

    private static List<RoomTrack> tracks(Random r, String id) {
        List<RoomTrack> t = new ArrayList<>();
        if (r.nextBoolean()) t.add(new RoomTrack("s-" + id, "a-" + id, MediaKind.AUDIO));
        if (r.nextInt(3) > 0) t.add(new RoomTrack("s-" + id, "v-" + id, MediaKind.VIDEO));
        if (r.nextInt(3) == 0) t.add(new RoomTrack("share-" + id, "sv-" + id, MediaKind.VIDEO));
        return List.copyOf(t);
    }

    /**
     * Participants come, go, wait, change tracks, stream purposes, subscriptions and spotlights, a few at a time
     * between applies: every call to the media path (receiver, sender, track, quality, reason) is the reference's.
     */
    @ParameterizedTest
    @ValueSource(longs = {21, 22, 23})
    void makesExactlyTheCallsTheReferenceMakes(long seed) {
        Random r = new Random(seed);
        Map<String, Participant> participants = new LinkedHashMap<>();
        Set<String> spotlight = new HashSet<>();
        VideoQualities qualities = new VideoQualities();
        ReferenceVideoQualities reference = new ReferenceVideoQualities();
        RecordingMedia media = new RecordingMedia();
        RecordingMedia expected = new RecordingMedia();
        for (int step = 0; step < 3000; step++) {
            for (int i = r.nextInt(4); i > 0; i--) change(r, participants, spotlight);
            qualities.apply(participants.values(), spotlight, media);
            reference.apply(participants.values(), spotlight, expected);
            assertThat(media.calls).as("seed %d step %d", seed, step).isEqualTo(expected.calls);
            assertThat(media.qualityReasons).as("seed %d step %d", seed, step).isEqualTo(expected.qualityReasons);
        }
        assertThat(expected.calls).hasSizeGreaterThan(1000);
    }

    private static void change(Random r, Map<String, Participant> participants, Set<String> spotlight) {
        String id = "p" + r.nextInt(12);
        Participant p = participants.get(id);
        if (p == null) {
            p = new Participant(id, "@" + id + ":example.org", Role.GUEST, 0);
            p.waiting = r.nextInt(4) == 0;
            participants.put(id, p);
            return;
        }
        List<Participant> all = List.copyOf(participants.values());
        Participant other = all.get(r.nextInt(all.size()));
        switch (r.nextInt(9)) {
            case 0 -> participants.remove(id);
            case 1 -> p.waiting = !p.waiting;
            case 2 -> p.tracks = tracks(r, id);
            case 3 -> p.describe(Map.of((r.nextBoolean() ? "s-" : "share-") + id, StreamMetadata.own(
                    r.nextBoolean() ? Purpose.USERMEDIA : Purpose.SCREENSHARE, false, false)), 10);
            case 4 -> { if (!spotlight.remove(id)) spotlight.add(id); }
            case 5 -> p.subscriptions.clear();
            default -> {
                for (RoomTrack t : other.tracks) {
                    if (r.nextBoolean()) p.subscriptions.put(t.ref(), VideoQuality.values()[r.nextInt(2)]);
                }
            }
        }
    }

    /**
     * The cost issue #16 is about: in a room of 100 with cameras, one receiver subscribing looks at its own row, not
     * every pair (the reference walks the participants once per receiver: 101 times).
     */
    @Test
    void oneSubscriptionLooksAtOneRowNotEveryPair() {
        Map<String, Participant> participants = new LinkedHashMap<>();
        for (int i = 0; i < 100; i++) {
            Participant p = new Participant("p" + i, "@p" + i + ":example.org", Role.GUEST, 0);
            p.tracks = List.of(new RoomTrack("s" + i, "v" + i, MediaKind.VIDEO));
            participants.put(p.endpointId, p);
        }
        VideoQualities qualities = new VideoQualities();
        RecordingMedia media = new RecordingMedia();
        qualities.apply(participants.values(), Set.of(), media);
        participants.get("p7").subscriptions.put(new TrackRef("s42", "v42"), VideoQuality.FULL_RES);
        Counting counted = new Counting(participants.values());
        qualities.apply(counted, Set.of(), media);
        assertThat(media.calls).containsExactly("quality p7 p42 s42 v42 FULL_RES");
        assertThat(counted.walks).isLessThanOrEqualTo(3);
    }

    /** Counts how often the participants are walked through. */
    private static final class Counting extends AbstractCollection<Participant> {
        private final List<Participant> inner;
        int walks;

        Counting(java.util.Collection<Participant> inner) {
            this.inner = List.copyOf(inner);
        }

        @Override
        public Iterator<Participant> iterator() {
            walks++;
            return inner.iterator();
        }

        @Override
        public int size() {
            return inner.size();
        }
    }
}
