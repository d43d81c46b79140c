package org.conclave.bench.scenario;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiPredicate;

/**
 * The four conference shapes of issue 7. Steps grow roughly by 1.3-2x so the step at half the knee's load exists
 * for the latency figure.
 */
public final class Scenarios {
    public static final List<String> NAMES = List.of("meeting", "webinar", "rooms", "audio");

    static final int MEETING_SIZE = 10;
    static final int[] MEETING_ROOMS = {1, 2, 3, 4, 6, 8, 12, 16, 20, 25, 30};
    static final int[] MEETING_ROOMS_QUICK = {1, 2};
    static final int[] WEBINAR_VIEWERS = {10, 25, 50, 100, 150, 200, 250, 300};
    static final int[] WEBINAR_VIEWERS_QUICK = {5, 15};
    static final int SMALL_ROOM_SIZE = 4;
    static final int[] SMALL_ROOMS = {5, 10, 15, 20, 30, 40, 50};
    static final int[] SMALL_ROOMS_QUICK = {2, 5};
    static final int AUDIO_PARTICIPANTS = 300;
    static final int[] AUDIO_SPEAKERS = {1, 2, 3, 4, 6, 8, 11, 16};
    static final int AUDIO_LISTENERS_QUICK = 20;
    static final int[] AUDIO_SPEAKERS_QUICK = {1, 2};

    private Scenarios() {}

    public static Scenario byName(String name, boolean quick) {
        return switch (name) {
            case "meeting" -> meeting(quick ? MEETING_ROOMS_QUICK : MEETING_ROOMS);
            case "webinar" -> webinar(quick ? WEBINAR_VIEWERS_QUICK : WEBINAR_VIEWERS);
            case "rooms" -> smallRooms(quick ? SMALL_ROOMS_QUICK : SMALL_ROOMS);
            case "audio" -> audioOnly(quick ? AUDIO_LISTENERS_QUICK : AUDIO_PARTICIPANTS - last(AUDIO_SPEAKERS),
                    quick ? AUDIO_SPEAKERS_QUICK : AUDIO_SPEAKERS);
            default -> throw new IllegalArgumentException("unknown scenario " + name + "; known: " + NAMES);
        };
    }

    /**
     * Rooms of ten: everyone publishes audio, thumbnail and full-res; everyone views every other thumbnail and hears
     * everyone, and views one full-res (the next participant's, as if pinned). Load grows by adding rooms.
     */
    public static Scenario meeting(int[] roomCounts) {
        Builder b = new Builder();
        List<Step> steps = new ArrayList<>();
        int rooms = 0;
        for (int target : roomCounts) {
            List<Participant> joining = new ArrayList<>();
            for (; rooms < target; rooms++) {
                joining.addAll(b.room("meeting-" + rooms, MEETING_SIZE, MEETING_SIZE,
                        (viewer, track) -> track.kind() != TrackKind.FULL
                                || track.owner() == b.firstOfRoom + (viewer - b.firstOfRoom + 1) % MEETING_SIZE));
            }
            steps.add(new Step(target + (target == 1 ? " meeting" : " meetings") + " of " + MEETING_SIZE, joining));
        }
        return new Scenario("meeting", "10-person meetings (each views 9 thumbnails + 1 full-res, hears 9)", steps, b.tracks);
    }

    /** One presenter (audio, thumbnail, full-res); viewers receive audio and full-res and publish nothing. */
    public static Scenario webinar(int[] viewerCounts) {
        Builder b = new Builder();
        List<Step> steps = new ArrayList<>();
        Participant presenter = b.participant("webinar", true, true);
        int[] wants = presenter.publishes().stream()
                .filter(t -> t.kind() != TrackKind.THUMB).mapToInt(Track::index).toArray();
        int viewers = 0;
        for (int target : viewerCounts) {
            List<Participant> joining = new ArrayList<>();
            if (viewers == 0) joining.add(presenter);
            for (; viewers < target; viewers++) joining.add(b.viewer("webinar", wants));
            steps.add(new Step("1 presenter, " + target + " viewers", joining));
        }
        return new Scenario("webinar", "webinar: 1 presenter, viewers get audio + full-res", steps, b.tracks);
    }

    /** Rooms of four: everyone publishes audio, thumbnail and full-res and receives the others' audio and full-res. */
    public static Scenario smallRooms(int[] roomCounts) {
        Builder b = new Builder();
        List<Step> steps = new ArrayList<>();
        int rooms = 0;
        for (int target : roomCounts) {
            List<Participant> joining = new ArrayList<>();
            for (; rooms < target; rooms++) {
                joining.addAll(b.room("room-" + rooms, SMALL_ROOM_SIZE, SMALL_ROOM_SIZE,
                        (viewer, track) -> track.kind() != TrackKind.THUMB));
            }
            steps.add(new Step(target + " rooms of " + SMALL_ROOM_SIZE, joining));
        }
        return new Scenario("rooms", "rooms of 4 (each views the other 3 full-res, hears 3)", steps, b.tracks);
    }

    /**
     * One audio room: listeners (receive only) join first, then speakers join step by step; everyone hears every
     * speaker. Speakers' and listeners' count add up to 300 at the last step.
     */
    public static Scenario audioOnly(int listeners, int[] speakerCounts) {
        Builder b = new Builder();
        List<Step> steps = new ArrayList<>();
        // Speakers' audio tracks are made first so listeners can name them in their wants.
        List<Participant> speakers = new ArrayList<>();
        int maxSpeakers = last(speakerCounts);
        for (int i = 0; i < maxSpeakers; i++) speakers.add(b.participant("audio", true, false));
        int[] all = speakers.stream().mapToInt(s -> s.publishes().get(0).index()).toArray();
        List<Participant> speakersWithWants = new ArrayList<>();
        for (Participant s : speakers) {
            int own = s.publishes().get(0).index();
            speakersWithWants.add(new Participant(s.id(), s.room(), s.publishes(),
                    java.util.Arrays.stream(all).filter(t -> t != own).toArray()));
        }
        int joined = 0;
        for (int target : speakerCounts) {
            List<Participant> joining = new ArrayList<>();
            if (joined == 0) {
                for (int i = 0; i < listeners; i++) joining.add(b.viewer("audio", all));
            }
            for (; joined < target; joined++) joining.add(speakersWithWants.get(joined));
            steps.add(new Step(listeners + " listeners, " + target + (target == 1 ? " speaker" : " speakers"), joining));
        }
        return new Scenario("audio", "audio-only room: " + (listeners + maxSpeakers)
                + " participants, growing number of speakers everyone hears", steps, b.tracks);
    }

    private static int last(int[] a) {
        return a[a.length - 1];
    }

    /** Hands out participant ids and track indices. */
    static final class Builder {
        final List<Track> tracks = new ArrayList<>();
        int nextParticipant;
        int firstOfRoom;

        Participant participant(String room, boolean audio, boolean video) {
            int id = nextParticipant++;
            List<Track> own = new ArrayList<>();
            if (audio) own.add(track(id, TrackKind.AUDIO, own.size()));
            if (video) {
                own.add(track(id, TrackKind.THUMB, own.size()));
                own.add(track(id, TrackKind.FULL, own.size()));
            }
            return new Participant(id, room, own, new int[0]);
        }

        Participant viewer(String room, int[] wants) {
            return new Participant(nextParticipant++, room, List.of(), wants);
        }

        /** {@code size} participants publishing audio + both video layers; {@code views} decides what each views. */
        List<Participant> room(String room, int size, int publishers, BiPredicate<Integer, Track> views) {
            firstOfRoom = nextParticipant;
            List<Participant> members = new ArrayList<>();
            for (int i = 0; i < size; i++) members.add(participant(room, i < publishers, i < publishers));
            List<Participant> out = new ArrayList<>();
            for (Participant m : members) {
                List<Integer> wants = new ArrayList<>();
                for (Participant other : members) {
                    if (other == m) continue;
                    for (Track t : other.publishes()) {
                        if (views.test(m.id(), t)) wants.add(t.index());
                    }
                }
                out.add(new Participant(m.id(), room, m.publishes(), wants.stream().mapToInt(Integer::intValue).toArray()));
            }
            return out;
        }

        private Track track(int owner, TrackKind kind, int position) {
            Track t = new Track(tracks.size(), owner, kind, Integer.toString(position));
            tracks.add(t);
            return t;
        }
    }
}
