package org.conclave.sfu.room;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.stream.Stream;
import org.conclave.sfu.control.Role;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every host command: refused for guests (nothing changes, the error names the action), accepted for hosts. */
class RoomAuthorizationTest extends RoomFixture {

    @BeforeEach
    void setUp() {
        joinWithCamera("host", Role.HOST);
        joinWithCamera("g1", Role.GUEST);
        joinWithCamera("g2", Role.GUEST);
        send("g2", "org.conclave.raise_hand");
        clear();
    }

    static Stream<Arguments> hostCommands() {
        return Stream.of(
                Arguments.of("lock", "{}"),
                Arguments.of("unlock", "{}"),
                Arguments.of("mute", "{\"endpoint_id\":\"g2\"}"),
                Arguments.of("unmute", "{\"endpoint_id\":\"g2\"}"),
                Arguments.of("mute_guests", "{}"),
                Arguments.of("unmute_guests", "{}"),
                Arguments.of("spotlight", "{\"endpoint_id\":\"g2\"}"),
                Arguments.of("unspotlight", "{\"endpoint_id\":\"g2\"}"),
                Arguments.of("disconnect", "{\"endpoint_id\":\"g2\"}"),
                Arguments.of("disconnect_all", "{}"),
                Arguments.of("set_focus", "{\"endpoint_id\":\"g2\"}"),
                Arguments.of("lower_all_hands", "{}"),
                Arguments.of("admit", "{\"endpoint_id\":\"g2\"}"),
                Arguments.of("reject", "{\"endpoint_id\":\"g2\"}"));
    }

    @ParameterizedTest
    @MethodSource("hostCommands")
    void guestIsRefusedAndNothingChanges(String action, String content) {
        List<RosterEntry> roster = room.roster();
        RoomState state = room.state();
        List<String> hands = room.handQueue();

        send("g1", "org.conclave." + action, content.replace("}", (content.equals("{}") ? "" : ",")
                + "\"request_id\":\"r9\"}"));

        JsonNode error = out.last("g1", "org.conclave.error");
        assertThat(error.get("errcode").asText()).isEqualTo("M_FORBIDDEN");
        assertThat(error.get("error").asText()).isEqualTo(action + " is a host action; you are a guest");
        assertThat(error.get("request_type").asText()).isEqualTo("org.conclave." + action);
        assertThat(error.get("request_id").asText()).isEqualTo("r9");
        assertThat(room.roster()).isEqualTo(roster);
        assertThat(room.state()).isEqualTo(state);
        assertThat(room.handQueue()).isEqualTo(hands);
        assertThat(media.calls).isEmpty();
        assertThat(out.sent).hasSize(1);
    }

    @Test
    void guestCannotLowerSomeoneElsesHand() {
        send("g1", "org.conclave.lower_hand", "{\"endpoint_id\":\"g2\"}");
        assertThat(out.last("g1", "org.conclave.error").get("error").asText())
                .isEqualTo("lowering someone else's hand is a host action; you are a guest");
        assertThat(room.handQueue()).containsExactly("g2");
    }

    @Test
    void everyHostCommandIsAcceptedFromAHost() {
        send("host", "org.conclave.lock", "{\"request_id\":\"a\"}");
        assertThat(room.state().locked()).isTrue();
        assertThat(out.last("host", "org.conclave.ok").get("request_id").asText()).isEqualTo("a");
        send("host", "org.conclave.unlock");
        assertThat(room.state().locked()).isFalse();
        send("host", "org.conclave.spotlight", "{\"endpoint_id\":\"g2\"}");
        assertThat(room.state().spotlight()).containsExactly("g2");
        send("host", "org.conclave.unspotlight", "{\"endpoint_id\":\"g2\"}");
        assertThat(room.state().spotlight()).isEmpty();
        send("host", "org.conclave.set_focus", "{\"endpoint_id\":\"g2\"}");
        assertThat(room.state().focus()).isEqualTo("g2");
        send("host", "org.conclave.set_focus", "{\"endpoint_id\":null}");
        assertThat(room.state().focus()).isNull();
        send("host", "org.conclave.mute", "{\"endpoint_id\":\"g2\"}");
        assertThat(entry("g2").muted()).isTrue();
        send("host", "org.conclave.unmute", "{\"endpoint_id\":\"g2\"}");
        assertThat(entry("g2").muted()).isFalse();
        send("host", "org.conclave.mute_guests");
        assertThat(room.state().guestsMuted()).isTrue();
        send("host", "org.conclave.unmute_guests");
        assertThat(room.state().guestsMuted()).isFalse();
        send("host", "org.conclave.lower_all_hands");
        assertThat(room.handQueue()).isEmpty();
        send("host", "org.conclave.disconnect", "{\"endpoint_id\":\"g2\"}");
        assertThat(room.roster()).extracting(RosterEntry::id).containsExactly("host", "g1");
        send("host", "org.conclave.disconnect_all");
        assertThat(room.roster()).extracting(RosterEntry::id).containsExactly("host");
        assertThat(out.to("host", "org.conclave.error")).isEmpty();
    }

    @Test
    void hostActionsOnUnknownParticipantsAreNotFoundAndChangeNothing() {
        for (String action : List.of("mute", "unmute", "spotlight", "unspotlight", "disconnect", "set_focus", "admit",
                "reject", "lower_hand")) {
            out.clear();
            send("host", "org.conclave." + action, "{\"endpoint_id\":\"ghost\"}");
            JsonNode error = out.last("host", "org.conclave.error");
            assertThat(error.get("errcode").asText()).as(action).isEqualTo("M_NOT_FOUND");
            assertThat(error.get("error").asText()).as(action).contains("ghost");
        }
        assertThat(media.calls).isEmpty();
    }

    @Test
    void admittingSomeoneWhoIsNotWaitingIsInvalid() {
        send("host", "org.conclave.admit", "{\"endpoint_id\":\"g1\"}");
        JsonNode error = out.last("host", "org.conclave.error");
        assertThat(error.get("errcode").asText()).isEqualTo("M_INVALID_PARAM");
        assertThat(error.get("error").asText()).isEqualTo("cannot admit g1: not waiting");
        assertThat(media.calls).isEmpty();
    }

    @Test
    void malformedAndUnknownMessagesGetErrors() {
        room.onMessage("g1", "{{");
        assertThat(out.last("g1", "org.conclave.error").get("errcode").asText()).isEqualTo("M_NOT_JSON");
        room.onMessage("g1", "{\"type\":\"org.conclave.teleport\",\"content\":{\"request_id\":\"x\"}}");
        JsonNode e = out.last("g1", "org.conclave.error");
        assertThat(e.get("errcode").asText()).isEqualTo("M_UNRECOGNIZED");
        assertThat(e.get("request_type").asText()).isEqualTo("org.conclave.teleport");
        assertThat(e.get("request_id").asText()).isEqualTo("x");
        room.onMessage("g1", "{\"type\":\"org.conclave.speaking\",\"content\":{\"speaking\":1}}");
        assertThat(out.last("g1", "org.conclave.error").get("errcode").asText()).isEqualTo("M_BAD_JSON");
        assertThat(out.sent).extracting(RecordingOutbox.Sent::endpointId).containsOnly("g1");
        assertThat(out.refused).containsExactly("g1 M_NOT_JSON", "g1 M_UNRECOGNIZED", "g1 M_BAD_JSON");
    }

    @Test
    void pingIsAnsweredWithTheSameContent() {
        send("g1", "m.call.ping", "{\"request_id\":\"p1\",\"n\":[1,2]}");
        JsonNode pong = out.last("g1", "m.call.pong");
        assertThat(pong.toString()).isEqualTo("{\"request_id\":\"p1\",\"n\":[1,2]}");
    }

    @Test
    void messagesFromUnknownEndpointsAreIgnored() {
        room.onMessage("nobody", "{\"type\":\"m.call.ping\"}");
        assertThat(out.sent).isEmpty();
    }
}
