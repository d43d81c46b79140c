package org.conclave.sfu.room;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.conclave.sfu.control.Role;
import org.conclave.sfu.codec.MediaKind;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Roster snapshots, deltas and every filter. */
class RoomRosterTest extends RoomFixture {

    /**
     * host (Alice, camera, hand up), bob (guest, audio-only, muted, speaking by level), carol (guest, camera,
     * spotlight), dave (guest waiting).
     */
    @BeforeEach
    void setUp() {
        room.join("host", "@alice:example.org", Role.HOST);
        room.setTracks("host", List.of(new RoomTrack("s-h", "v-h", MediaKind.VIDEO)));
        room.join("bob", "@bob:example.org", Role.GUEST);
        room.setTracks("bob", List.of(new RoomTrack("s-b", "a-b", MediaKind.AUDIO)));
        joinWithCamera("carol", Role.GUEST);
        send("host", "org.conclave.raise_hand");
        send("host", "org.conclave.spotlight", "{\"endpoint_id\":\"carol\"}");
        send("host", "org.conclave.lock");
        room.join("dave", "@dave:example.org", Role.GUEST);
        room.onAudioLevels(Map.of("carol", 20));
        send("host", "org.conclave.mute", "{\"endpoint_id\":\"bob\"}");
        clear();
    }

    private List<String> snapshotIds(String who) {
        JsonNode snap = out.last(who, "org.conclave.roster");
        assertThat(snap.get("snapshot").asBoolean()).isTrue();
        List<String> ids = new ArrayList<>();
        snap.get("entries").forEach(e -> ids.add(e.get("id").asText()));
        return ids;
    }

    static Stream<Arguments> filters() {
        return Stream.of(
                Arguments.of("[]", "", List.of("host", "bob", "carol", "dave")),
                Arguments.of("[\"all\"]", "", List.of("host", "bob", "carol", "dave")),
                Arguments.of("[\"hosts\"]", "", List.of("host")),
                Arguments.of("[\"guests\"]", "", List.of("bob", "carol", "dave")),
                Arguments.of("[\"waiting\"]", "", List.of("dave")),
                Arguments.of("[\"hand_raised\"]", "", List.of("host")),
                Arguments.of("[\"speaking\"]", "", List.of("carol")),
                Arguments.of("[\"muted\"]", "", List.of("bob")),
                Arguments.of("[\"spotlight\"]", "", List.of("carol")),
                Arguments.of("[\"audio_only\"]", "", List.of("bob")),
                Arguments.of("[\"guests\",\"audio_only\"]", "", List.of("bob")),
                Arguments.of("[\"hosts\",\"muted\"]", "", List.of()),
                Arguments.of("[]", "AR", List.of("carol")),
                Arguments.of("[\"guests\"]", "B", List.of("bob")),
                Arguments.of("[\"hosts\"]", "bob", List.of()));
    }

    @ParameterizedTest
    @MethodSource("filters")
    void filterSnapshotsForAHost(String filters, String name, List<String> expected) {
        send("host", "org.conclave.roster_filter", "{\"filters\":" + filters + ",\"name\":\"" + name
                + "\",\"request_id\":\"f1\"}");
        assertThat(snapshotIds("host")).containsExactlyElementsOf(expected);
        assertThat(out.last("host", "org.conclave.roster").get("request_id").asText()).isEqualTo("f1");
    }

    @Test
    void guestsDoNotSeeWaiters() {
        send("carol", "org.conclave.roster_filter", "{\"filters\":[\"guests\"]}");
        assertThat(snapshotIds("carol")).containsExactly("bob", "carol");
    }

    @Test
    void entriesCarryEveryFlag() {
        send("host", "org.conclave.roster_filter", "{}");
        JsonNode entries = out.last("host", "org.conclave.roster").get("entries");
        assertThat(entries.get(0).toString()).isEqualTo("{\"id\":\"host\",\"participant\":\"@alice:example.org\","
                + "\"role\":\"host\",\"speaking\":false,\"waiting\":false,\"hand_raised\":true,\"hand_position\":1,"
                + "\"spotlight\":false,\"audio_only\":false,\"muted\":false,\"self_muted\":false,"
                + "\"media_refused\":false}");
        assertThat(entries.get(1).get("muted").asBoolean()).isTrue();
        assertThat(entries.get(1).get("audio_only").asBoolean()).isTrue();
        assertThat(entries.get(1).get("hand_position").isNull()).isTrue();
        assertThat(entries.get(2).get("speaking").asBoolean()).isTrue();
        assertThat(entries.get(2).get("spotlight").asBoolean()).isTrue();
        assertThat(entries.get(3).get("waiting").asBoolean()).isTrue();
    }

    @Test
    void aParticipantWhoseMediaIsRefusedIsToldAndEveryoneSeesItInTheRoster() {
        room.setMediaRefused("carol", "your client is not encrypting media");
        JsonNode told = out.last("carol", "org.conclave.media_refused");
        assertThat(told.get("reason").asText()).isEqualTo("not_encrypted");
        assertThat(told.get("error").asText()).isEqualTo("your client is not encrypting media");
        for (String who : List.of("host", "bob", "carol")) {
            JsonNode delta = out.last(who, "org.conclave.roster");
            assertThat(delta.get("changed")).as(who).extracting(e -> e.get("id").asText()).containsExactly("carol");
            assertThat(delta.get("changed").get(0).get("media_refused").asBoolean()).isTrue();
        }
        assertThat(out.to("host", "org.conclave.media_refused")).as("only the sender is told in words").isEmpty();
        out.clear();
        room.setMediaRefused("carol", null);
        assertThat(out.last("bob", "org.conclave.roster").get("changed").get(0).get("media_refused").asBoolean())
                .isFalse();
        assertThat(out.to("carol", "org.conclave.media_refused")).isEmpty();
    }

    @Test
    void deltasFollowTheFilter() {
        send("host", "org.conclave.roster_filter", "{\"filters\":[\"hand_raised\"]}");
        out.clear();
        send("bob", "org.conclave.raise_hand");
        JsonNode delta = out.last("host", "org.conclave.roster");
        assertThat(delta.get("snapshot").asBoolean()).isFalse();
        assertThat(delta.get("changed")).extracting(e -> e.get("id").asText()).containsExactly("bob");
        assertThat(delta.get("changed").get(0).get("hand_position").asInt()).isEqualTo(2);
        out.clear();
        send("host", "org.conclave.lower_hand");
        delta = out.last("host", "org.conclave.roster");
        assertThat(delta.get("removed")).extracting(JsonNode::asText).containsExactly("host");
        assertThat(delta.get("changed")).extracting(e -> e.get("hand_position").asInt()).containsExactly(1);
    }

    @Test
    void nothingChangedMeansNoDelta() {
        room.tick();
        send("carol", "m.call.ping");
        assertThat(out.to("host", "org.conclave.roster")).isEmpty();
    }

    @Test
    void joinAndLeaveAreDeltasForEveryoneAndASnapshotForTheNewcomer() {
        send("host", "org.conclave.unlock");
        out.clear();
        room.join("erin", "@erin:example.org", Role.GUEST);
        assertThat(snapshotIds("erin")).containsExactly("host", "bob", "carol", "dave", "erin");
        assertThat(out.last("carol", "org.conclave.roster").get("changed")).extracting(e -> e.get("id").asText())
                .containsExactly("erin");
        room.leave("erin");
        assertThat(out.last("carol", "org.conclave.roster").get("removed")).extracting(JsonNode::asText)
                .containsExactly("erin");
    }
}
