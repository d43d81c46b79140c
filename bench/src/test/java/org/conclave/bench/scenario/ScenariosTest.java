package org.conclave.bench.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The scenario shapes are what issue 7 asks for: who publishes what, who views what. */
class ScenariosTest {

    @Test
    void meetingOfTenViewsNineThumbnailsOneFullResAndHearsNine() {
        Scenario s = Scenarios.meeting(new int[] {1, 2});
        List<Participant> all = s.participantsUpTo(1);
        assertThat(all).hasSize(20);
        for (Participant p : all) {
            assertThat(p.publishes()).extracting(Track::kind)
                    .containsExactly(TrackKind.AUDIO, TrackKind.THUMB, TrackKind.FULL);
            long audio = Arrays.stream(p.wants()).filter(w -> s.track(w).kind() == TrackKind.AUDIO).count();
            long thumbs = Arrays.stream(p.wants()).filter(w -> s.track(w).kind() == TrackKind.THUMB).count();
            long full = Arrays.stream(p.wants()).filter(w -> s.track(w).kind() == TrackKind.FULL).count();
            assertThat(new long[] {audio, thumbs, full}).containsExactly(9, 9, 1);
            assertThat(Arrays.stream(p.wants()).allMatch(w -> {
                Participant owner = all.get(s.track(w).owner());
                return owner.room().equals(p.room()) && owner.id() != p.id();
            })).isTrue();
        }
    }

    @Test
    void webinarViewersGetThePresentersAudioAndFullRes() {
        Scenario s = Scenarios.webinar(new int[] {3, 10});
        assertThat(s.steps().get(0).joining()).hasSize(4);
        assertThat(s.participantsUpTo(1)).hasSize(11);
        Participant presenter = s.steps().get(0).joining().get(0);
        assertThat(presenter.publishes()).hasSize(3);
        for (Participant v : s.participantsUpTo(1).subList(1, 11)) {
            assertThat(v.publishes()).isEmpty();
            assertThat(Arrays.stream(v.wants()).mapToObj(w -> s.track(w).kind()))
                    .containsExactlyInAnyOrder(TrackKind.AUDIO, TrackKind.FULL);
        }
    }

    @Test
    void smallRoomsViewTheOtherThreeFullRes() {
        Scenario s = Scenarios.smallRooms(new int[] {2});
        for (Participant p : s.participantsUpTo(0)) {
            assertThat(p.wants()).hasSize(6);
            assertThat(Arrays.stream(p.wants()).mapToObj(w -> s.track(w).kind()).filter(k -> k == TrackKind.THUMB)).isEmpty();
        }
    }

    @Test
    void audioRoomAddsSpeakersEveryoneHears() {
        Scenario s = Scenarios.audioOnly(5, new int[] {1, 3});
        assertThat(s.steps().get(0).joining()).hasSize(6);
        assertThat(s.steps().get(1).joining()).hasSize(2);
        List<Participant> all = s.participantsUpTo(1);
        long speakers = all.stream().filter(p -> !p.publishes().isEmpty()).count();
        assertThat(speakers).isEqualTo(3);
        for (Participant p : all) {
            int expected = p.publishes().isEmpty() ? 3 : 2;
            assertThat(p.wants()).hasSize(expected);
        }
        assertThat(s.tracks()).allMatch(t -> t.kind() == TrackKind.AUDIO);
    }
}
