package org.conclave.tests.call;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import org.conclave.tests.homeserver.ScriptedClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bot ends calls itself: when the caller leaves or is kicked from the conference room, and when the SFU endpoint
 * fails. Each time the endpoint is freed and the DM gets the spec's hangup reason.
 */
class HangupTest {
    @TempDir
    Path dir;

    @Test
    void aCallerWhoLeavesTheConferenceRoomIsHungUpWhileTheOthersStay() throws Exception {
        try (CallRig rig = CallRig.start(dir)) {
            ScriptedClient alice = rig.user("alice");
            ScriptedClient bob = rig.user("bob");
            String room = rig.conferenceRoom(alice, bob);
            try (JavaCaller a = JavaCaller.open(rig.bridge, alice, room);
                    JavaCaller b = JavaCaller.open(rig.bridge, bob, room)) {
                a.connect();
                b.connect();
                rig.awaitEndpointCount(2, CallRig.TIMEOUT);
                JsonObject started = CallState.awaitStarted(rig, room);

                bob.leave(room);

                assertHungUpFor(rig, b, "left");
                rig.awaitEndpointCount(1, CallRig.TIMEOUT);
                assertThat(a.call.ended()).isFalse();
                assertThat(a.call.botEvents()).extracting(e -> e.getString("type")).doesNotContain(CallContent.HANGUP);
                assertThat(CallState.current(rig, room, started).getMap()).doesNotContainKey("m.terminated");

                a.call.hangup("user_hangup");
                rig.awaitEndpointCount(0, CallRig.TIMEOUT);
                CallState.awaitTerminated(rig, room, started);
            }
        }
    }

    @Test
    void aCallerKickedFromTheConferenceRoomIsHungUp() throws Exception {
        try (CallRig rig = CallRig.start(dir)) {
            ScriptedClient alice = rig.user("alice");
            ScriptedClient bob = rig.user("bob");
            String room = rig.conferenceRoom(alice, bob);
            try (JavaCaller b = JavaCaller.open(rig.bridge, bob, room)) {
                b.connect();
                JsonObject started = CallState.awaitStarted(rig, room);

                alice.kick(room, bob.userId());

                assertHungUpFor(rig, b, "removed from the conference room");
                rig.awaitEndpointCount(0, CallRig.TIMEOUT);
                // Bob was the only participant: the conference is over.
                CallState.awaitTerminated(rig, room, started);
            }
        }
    }

    @Test
    void anEndpointThatNeverConnectsIsHungUpWithIceTimeout() throws Exception {
        try (CallRig rig = CallRig.start(dir, CallRig.Settings.defaults().withIceConnectTimeoutMs(1_000))) {
            ScriptedClient alice = rig.user("alice");
            String room = rig.conferenceRoom(alice);
            try (JavaCaller a = JavaCaller.open(rig.bridge, alice, room)) {
                a.invite(); // and never send an ICE check

                JsonObject hangup = a.call.awaitBotEvent(CallContent.HANGUP, CallRig.TIMEOUT);
                assertThat(hangup.getJsonObject("content").getString("reason")).isEqualTo("ice_timeout");
                a.await("failed:ICE_TIMEOUT", CallRig.TIMEOUT);
                rig.awaitEndpointCount(0, CallRig.TIMEOUT);
                // Never connected, so no conference started.
                assertThat(rig.hs.timeline(room)).noneMatch(e -> e.getString("type").equals(CallContent.CALL_STATE));
            }
        }
    }

    /** The bot's m.call.hangup (user_hangup) and a notice mentioning {@code because} in the caller's DM. */
    private static void assertHungUpFor(CallRig rig, JavaCaller caller, String because) throws Exception {
        JsonObject hangup = caller.call.awaitBotEvent(CallContent.HANGUP, CallRig.TIMEOUT);
        assertThat(hangup.getJsonObject("content").getString("reason")).isEqualTo("user_hangup");
        assertThat(hangup.getJsonObject("content").getString("version")).isEqualTo("1");
        caller.await("closed", CallRig.TIMEOUT);
        rig.awaitBotEvent(caller.call.dmRoom(), "m.room.message",
                e -> e.getJsonObject("content").getString("body", "").contains(because));
    }
}
