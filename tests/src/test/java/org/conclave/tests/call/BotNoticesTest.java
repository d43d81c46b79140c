package org.conclave.tests.call;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.conclave.tests.homeserver.RoomOptions;
import org.conclave.tests.homeserver.ScriptedClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the bot tells rooms in words: the power level it lacks for the conference's call state, and that it cannot
 * read an encrypted direct room. Also: the conference room's state is read once, then kept by the transactions.
 */
class BotNoticesTest {
    @TempDir
    Path dir;

    private static List<JsonObject> botNotices(CallRig rig, String room) {
        return rig.hs.timeline(room).stream().filter(e -> e.getString("sender").equals(rig.bot())
                && e.getString("type").equals("m.room.message")).toList();
    }

    @Test
    void aBotWithoutPowerForTheCallStateSaysOnceWhichLevelItNeeds() throws Exception {
        try (CallRig rig = CallRig.start(dir)) {
            ScriptedClient owner = rig.user("owner");
            ScriptedClient alice = rig.user("alice");
            // The bot invited at the default level 0; state_default is 50.
            String room = owner.createRoom(RoomOptions.privateRoom("No power").inviting(rig.bot()));
            rig.awaitMembership(room, rig.bot(), "join");
            owner.invite(room, alice.userId());
            alice.join(room);

            for (int i = 0; i < 2; i++) {
                try (JavaCaller a = JavaCaller.open(rig.bridge, alice, room)) {
                    a.connect();
                    rig.awaitBotEvent(room, "m.room.message", e -> true);
                    a.call.hangup("user_hangup");
                    rig.awaitEndpointCount(0, CallRig.TIMEOUT);
                }
            }
            rig.hs.pusher().awaitIdle(CallRig.TIMEOUT);

            assertThat(botNotices(rig, room)).singleElement().extracting(e -> e.getJsonObject("content")
                    .getString("body")).asString().contains("power level 50").contains("/op " + rig.bot() + " 50");
            assertThat(rig.hs.timeline(room)).noneMatch(e -> e.getString("type").equals(CallContent.CALL_STATE));

            // An admin gives the bot the level: the next conference is announced.
            owner.setPowerLevel(room, rig.bot(), 50);
            try (JavaCaller a = JavaCaller.open(rig.bridge, alice, room)) {
                a.connect();
                CallState.awaitStarted(rig, room);
            }
        }
    }

    @Test
    void anEncryptedDirectRoomIsToldOnceHowToCallInstead() throws Exception {
        try (CallRig rig = CallRig.start(dir)) {
            ScriptedClient alice = rig.user("alice");

            String dm = alice.createRoom(RoomOptions.directMessage(rig.bot())); // encrypted, as Element makes them
            JsonObject notice = rig.awaitBotEvent(dm, "m.room.message", e -> true);
            alice.send(dm, "m.room.encrypted", new JsonObject().put("algorithm", "m.megolm.v1.aes-sha2")
                    .put("ciphertext", "AwgAEn..."));
            rig.hs.pusher().awaitIdle(CallRig.TIMEOUT);

            assertThat(notice.getJsonObject("content").getString("body")).contains("cannot read encrypted messages")
                    .contains("Conclave Web");
            assertThat(botNotices(rig, dm)).hasSize(1);
        }
    }

    @Test
    void theConferenceRoomsStateIsReadOnceForAllItsCalls() throws Exception {
        try (CallRig rig = CallRig.start(dir)) {
            ScriptedClient alice = rig.user("alice");
            ScriptedClient bob = rig.user("bob");
            ScriptedClient carol = rig.user("carol");
            String room = rig.conferenceRoom(alice, Map.of(), bob, carol);

            for (ScriptedClient user : List.of(alice, bob, carol)) {
                try (JavaCaller caller = JavaCaller.open(rig.bridge, user, room)) {
                    caller.invite();
                }
            }

            String encoded = room.replace("!", "%21").replace(":", "%3A");
            assertThat(rig.hs.requests("GET", "/rooms/" + encoded + "/state")).singleElement()
                    .satisfies(r -> assertThat(r.path()).endsWith("/state"));
        }
    }
}
