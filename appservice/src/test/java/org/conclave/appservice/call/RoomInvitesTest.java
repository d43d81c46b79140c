package org.conclave.appservice.call;

import static org.assertj.core.api.Assertions.assertThat;
import static org.conclave.appservice.call.ServiceRig.BOT;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.conclave.appservice.config.CallConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Invites of the bot into rooms, and what it says about rooms it cannot read. */
class RoomInvitesTest {
    private static final String ROOM = "!room:hs";

    private final ServiceRig rig = new ServiceRig(new CallConfig(List.of("hs"), 50, true, 30_000));

    @AfterEach
    void close() throws Exception {
        rig.close();
    }

    private static JsonObject inviteOfTheBot(String inviter, boolean direct) {
        JsonObject content = new JsonObject().put("membership", "invite");
        if (direct) content.put("is_direct", true);
        return ServiceRig.state(ROOM, inviter, "m.room.member", BOT, content);
    }

    private List<String> requests() {
        return rig.hs.sent().stream().map(s -> s.kind() + " " + s.target() + (s.type() == null ? "" : " " + s.type()))
                .toList();
    }

    @Test
    void anInviteFromAnAllowedServerIsAccepted() throws Exception {
        rig.push(inviteOfTheBot("@alice:hs", false));
        assertThat(requests()).containsExactly("join " + ROOM);
    }

    @Test
    void anInviteFromAnotherServerIsDeclinedInWordsBeforeLeavingWithTheSameReason() throws Exception {
        rig.push(inviteOfTheBot("@eve:elsewhere.org", true));

        assertThat(requests()).containsExactly("join " + ROOM, "event " + ROOM + " m.room.message", "leave " + ROOM);
        String notice = rig.last(ROOM, "m.room.message").body();
        assertThat(notice).contains("elsewhere.org").contains("calls.allowed_servers");
        assertThat(rig.hs.sent(s -> s.kind().equals("leave")).get(0).content().getString("reason")).isEqualTo(notice);
    }

    @Test
    void anEncryptedDirectRoomIsToldOnceHowToCallInstead() throws Exception {
        JsonObject invite = inviteOfTheBot("@alice:hs", true);
        // Synapse puts the room's stripped state on the invite.
        invite.put("unsigned", new JsonObject().put("invite_room_state", new JsonArray()
                .add(new JsonObject().put("type", "m.room.encryption").put("state_key", "")
                        .put("content", new JsonObject().put("algorithm", "m.megolm.v1.aes-sha2")))));
        rig.push(invite);
        rig.push(ServiceRig.event(ROOM, "@alice:hs", "m.room.encrypted", new JsonObject().put("ciphertext", "x")));
        rig.push(ServiceRig.event(ROOM, "@alice:hs", "m.room.encrypted", new JsonObject().put("ciphertext", "y")));

        assertThat(requests()).containsExactly("join " + ROOM, "event " + ROOM + " m.room.message");
        assertThat(rig.last(ROOM, "m.room.message").body()).contains("cannot read encrypted messages")
                .contains("Conclave Web").contains("without encryption");
        assertThat(rig.hs.fetches()).isZero();
    }

    @Test
    void withoutStrippedStateTheRoomsStateTellsAndAnUnencryptedDirectRoomGetsNothing() throws Exception {
        rig.hs.room(ROOM, List.of(ServiceRig.member(ROOM, "@alice:hs", "join"), ServiceRig.member(ROOM, BOT, "join")));
        rig.push(inviteOfTheBot("@alice:hs", true));

        assertThat(requests()).containsExactly("join " + ROOM);
        assertThat(rig.hs.fetches()).isEqualTo(1);
    }

    @Test
    void encryptedMessagesInATwoPersonRoomGetTheNoticeButNotInAConferenceRoom() throws Exception {
        rig.hs.room(ROOM, List.of(ServiceRig.member(ROOM, "@alice:hs", "join"), ServiceRig.member(ROOM, BOT, "join")));
        rig.conference(ServiceRig.CONF, "@alice:hs", "@bob:hs");

        rig.push(ServiceRig.event(ROOM, "@alice:hs", "m.room.encrypted", new JsonObject()));
        rig.push(ServiceRig.event(ServiceRig.CONF, "@alice:hs", "m.room.encrypted", new JsonObject()));

        assertThat(requests()).containsExactly("event " + ROOM + " m.room.message");
    }
}
