package org.conclave.tests.call;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.conclave.sfu.conference.ConferenceService;
import org.conclave.sfu.control.SfuException;
import org.conclave.tests.homeserver.RoomOptions;
import org.conclave.tests.homeserver.ScriptedClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Who gets media: only joined members of the conference room, as host or guest by the room's power levels. */
class CallAuthorizationTest {
    @TempDir
    Path dir;

    @Test
    void callersWhoAreNotJoinedMembersAreRejectedWithANoticeAndGetNoEndpoint() throws Exception {
        try (CallRig rig = CallRig.start(dir); LogLines sfuLog = new LogLines(ConferenceService.class)) {
            ScriptedClient alice = rig.user("alice");
            ScriptedClient bob = rig.user("bob");
            ScriptedClient mallory = rig.user("mallory");
            ScriptedClient dave = rig.user("dave");
            ScriptedClient erin = rig.user("erin");
            String room = rig.conferenceRoom(alice, bob, erin);
            alice.invite(room, dave.userId()); // invited, never joined
            erin.leave(room); // was a member

            for (ScriptedClient refused : List.of(mallory, dave, erin)) {
                try (JavaCaller caller = JavaCaller.open(rig.bridge, refused, room)) {
                    assertRefused(rig, caller, "join");
                }
            }
            assertThat(rig.endpointCount()).isZero();
            assertThat(sfuLog.lines()).noneMatch(l -> l.contains("allocated"));

            // The same path works for a member: the refusals were about membership, not a broken setup.
            try (JavaCaller member = JavaCaller.open(rig.bridge, bob, room)) {
                member.invite();
                assertThat(rig.endpointCount()).isEqualTo(1);
                assertThat(sfuLog.lines()).filteredOn(l -> l.contains("allocated")).hasSize(1);
            }
        }
    }

    @Test
    void aConferenceRoomTheBotIsNotInIsRefusedWithAnExplanation() throws Exception {
        try (CallRig rig = CallRig.start(dir)) {
            ScriptedClient alice = rig.user("alice");
            String withoutBot = alice.createRoom(RoomOptions.privateRoom("No bot here"));

            try (JavaCaller caller = JavaCaller.open(rig.bridge, alice, withoutBot)) {
                assertRefused(rig, caller, "invite me");
            }
            assertThat(rig.endpointCount()).isZero();
        }
    }

    @Test
    void callersAtOrAboveTheHostPowerLevelAreHostsAndTheOthersGuests() throws Exception {
        try (CallRig rig = CallRig.start(dir); LogLines handlerLog = new LogLines("org.conclave.appservice.call.CallSession")) {
            ScriptedClient owner = rig.user("owner"); // 100, the room's creator
            ScriptedClient moderator = rig.user("moderator"); // 50 = calls.host_power_level
            ScriptedClient almost = rig.user("almost"); // 49
            ScriptedClient member = rig.user("member"); // users_default 0
            String room = rig.conferenceRoom(owner, Map.of(moderator.userId(), 50, almost.userId(), 49),
                    moderator, almost, member);

            List<JavaCaller> callers = new ArrayList<>();
            try {
                for (ScriptedClient user : List.of(owner, moderator, almost, member)) {
                    JavaCaller caller = JavaCaller.open(rig.bridge, user, room);
                    callers.add(caller);
                    caller.invite();
                }
                assertThat(rig.endpointCount()).isEqualTo(4);
                // The role is handed to the SFU, which does not expose it; the handler logs it with the answer.
                assertThat(roleOf(handlerLog, callers.get(0))).isEqualTo("HOST");
                assertThat(roleOf(handlerLog, callers.get(1))).isEqualTo("HOST");
                assertThat(roleOf(handlerLog, callers.get(2))).isEqualTo("GUEST");
                assertThat(roleOf(handlerLog, callers.get(3))).isEqualTo("GUEST");

                // Levels are read per call: promoting a guest makes their next call a host's.
                owner.setPowerLevel(room, member.userId(), 50);
                JavaCaller promoted = JavaCaller.open(rig.bridge, member, room);
                callers.add(promoted);
                promoted.invite();
                assertThat(roleOf(handlerLog, promoted)).isEqualTo("HOST");
            } finally {
                callers.forEach(JavaCaller::close);
            }
        }
    }

    /** The bot rejected the call in the DM, said why in a notice mentioning {@code because}, and the offer failed. */
    private static void assertRefused(CallRig rig, JavaCaller caller, String because) throws Exception {
        assertThatThrownBy(caller::invite).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(SfuException.class).hasMessageContaining("m.call.reject");
        MatrixCall call = caller.call;
        JsonObject reject = rig.awaitBotEvent(call.dmRoom(), CallContent.REJECT,
                e -> call.callId().equals(e.getJsonObject("content").getString("call_id")));
        assertThat(reject.getJsonObject("content").getString("version")).isEqualTo("1");
        assertThat(reject.getJsonObject("content").getString("party_id")).isNotBlank();
        JsonObject notice = rig.awaitBotEvent(call.dmRoom(), "m.room.message",
                e -> e.getJsonObject("content").getString("msgtype", "").equals("m.notice")
                        && e.getJsonObject("content").getString("body", "").toLowerCase().contains(because));
        assertThat(notice.getJsonObject("content").getString("body")).contains(call.conferenceId());
        assertThat(call.botEvents()).extracting(e -> e.getString("type")).doesNotContain(CallContent.ANSWER);
    }

    private static String roleOf(LogLines log, JavaCaller caller) throws InterruptedException {
        String id = caller.call.callId();
        String line = log.await(l -> l.contains("answered call " + id + " "), "answering " + id, CallRig.TIMEOUT);
        return line.contains("(HOST)") ? "HOST" : line.contains("(GUEST)") ? "GUEST" : line;
    }
}
