package org.conclave.tests.call;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.conclave.sfu.conference.ConferenceService;
import org.conclave.sfu.control.EndpointListener;
import org.conclave.sfu.control.SfuException;
import org.conclave.tests.client.JavaPeer;
import org.conclave.tests.homeserver.RemoteUsers;
import org.conclave.tests.homeserver.RoomOptions;
import org.conclave.tests.homeserver.ScriptedClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code calls.allowed_servers} holds for every call, not only for invites of the bot: a user of another server is
 * refused in words in rooms the bot already is in and over to-device signalling (end to end: the double pushes the
 * to-device invite to the appservice over HTTP, the refusal comes back through the double), and gets no SFU endpoint;
 * an invite from such a user is declined with a notice and a leave whose reason says why.
 */
class AllowedServersTest {
    private static final String MALLORY = "@mallory:evil.org";

    @TempDir
    Path dir;

    private static CallRig start(Path dir) throws Exception {
        return CallRig.start(dir, CallRig.Settings.defaults().withAllowedServers(CallRig.SERVER_NAME));
    }

    @Test
    void aCallerFromAServerNotAllowedIsRefusedInARoomAnAllowedUserInvitedTheBotInto() throws Exception {
        try (CallRig rig = start(dir); LogLines sfuLog = new LogLines(ConferenceService.class);
                JavaPeer peer = new JavaPeer()) {
            ScriptedClient alice = rig.user("alice");
            ScriptedClient mallory = RemoteUsers.of(rig.hs, MALLORY);
            String conference = rig.conferenceRoom(alice);
            alice.invite(conference, MALLORY);
            mallory.join(conference);
            // A room alice invited the bot into (the bot joined it), which mallory joined too.
            String shared = alice.createRoom(RoomOptions.privateRoom("Shared").inviting(rig.bot()));
            rig.awaitMembership(shared, rig.bot(), "join");
            alice.invite(shared, MALLORY);
            mallory.join(shared);

            MatrixCall call = new MatrixCall(rig.hs, mallory, "call-mallory", "MALLORYDEV", conference, shared,
                    new EndpointListener() {});
            assertThatThrownBy(() -> call.offer(peer.offer()).toCompletableFuture()
                    .get(CallRig.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS))
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(SfuException.class);

            JsonObject reject = call.awaitBotEvent(CallContent.REJECT, CallRig.TIMEOUT);
            assertThat(reject.getJsonObject("content").getString("org.conclave.reason")).contains("evil.org");
            JsonObject notice = rig.awaitBotEvent(shared, "m.room.message",
                    e -> e.getJsonObject("content").getString("body", "").contains("evil.org"));
            assertThat(notice.getJsonObject("content").getString("msgtype")).isEqualTo("m.notice");
            assertThat(notice.getJsonObject("content").getString("body")).contains("calls.allowed_servers");
            assertThat(rig.endpointCount()).isZero();
            assertThat(sfuLog.lines()).noneMatch(l -> l.contains("allocated"));
            call.stop();
        }
    }

    @Test
    void aToDeviceCallerFromAServerNotAllowedIsRefusedWithoutAnEndpoint() throws Exception {
        try (CallRig rig = start(dir); LogLines sfuLog = new LogLines(ConferenceService.class);
                JavaPeer peer = new JavaPeer()) {
            ScriptedClient alice = rig.user("alice");
            ScriptedClient mallory = RemoteUsers.of(rig.hs, MALLORY);
            String conference = rig.conferenceRoom(alice);
            alice.invite(conference, MALLORY);
            mallory.join(conference);

            // MSC3401 to-device signalling to the bot's device, as a group-call client sends it (no DM needed).
            JsonObject invite = CallContent.invite("call-mallory", "MALLORYDEV", peer.offer(),
                    MatrixCall.INVITE_LIFETIME_MS, conference, "MALLORYDEV", rig.bot())
                    .put("sender_session_id", "mallory-session").put("seq", 0);
            mallory.sendToDevice(CallContent.INVITE, rig.bot(), CallRig.BOT_DEVICE, invite);

            JsonObject reject = awaitToDeviceFromBot(rig, CallContent.REJECT, MALLORY, "MALLORYDEV");
            assertThat(reject.getString("call_id")).isEqualTo("call-mallory");
            assertThat(reject.getString("org.conclave.reason")).contains("evil.org").contains("calls.allowed_servers");
            assertThat(reject.getString("dest_session_id")).isEqualTo("mallory-session");
            assertThat(reject.getString("conf_id")).isEqualTo(conference);
            assertThat(reject.getLong("seq")).isZero();
            JsonObject notice = rig.awaitBotEvent(conference, "m.room.message",
                    e -> e.getJsonObject("content").getString("body", "").contains("evil.org"));
            JsonObject content = notice.getJsonObject("content");
            assertThat(content.getString("msgtype")).isEqualTo("m.notice");
            assertThat(content.getString("body")).startsWith(MALLORY + ": ");
            assertThat(content.getJsonObject("m.mentions").getJsonArray("user_ids")).containsExactly(MALLORY);
            assertThat(rig.endpointCount()).isZero();
            assertThat(sfuLog.lines()).noneMatch(l -> l.contains("allocated"));
            assertThat(rig.hs.requests("PUT", "/sendToDevice/" + CallContent.ANSWER + "/")).isEmpty();
        }
    }

    /** The content of the bot's first to-device message of that type to that device, waiting for it. */
    private static JsonObject awaitToDeviceFromBot(CallRig rig, String type, String user, String device)
            throws InterruptedException {
        long deadline = System.nanoTime() + CallRig.TIMEOUT.toNanos();
        while (true) {
            for (var r : rig.hs.requests("PUT", "/sendToDevice/" + type + "/")) {
                JsonObject toUser = new JsonObject(r.body()).getJsonObject("messages").getJsonObject(user);
                if (toUser != null && toUser.containsKey(device)) return toUser.getJsonObject(device);
            }
            if (System.nanoTime() > deadline) throw new AssertionError("no " + type + " to " + user + " " + device);
            Thread.sleep(CallRig.POLL.toMillis());
        }
    }

    @Test
    void anInviteFromAServerNotAllowedIsDeclinedWithANoticeAndALeaveReason() throws Exception {
        try (CallRig rig = start(dir)) {
            ScriptedClient mallory = RemoteUsers.of(rig.hs, MALLORY);

            String room = mallory.createRoom(RoomOptions.directMessage(rig.bot()).encrypted(false));

            rig.awaitMembership(room, rig.bot(), "leave");
            JsonObject leave = rig.awaitBotEvent(room, "m.room.member",
                    e -> "leave".equals(e.getJsonObject("content").getString("membership")));
            String reason = leave.getJsonObject("content").getString("reason");
            assertThat(reason).contains("evil.org").contains("calls.allowed_servers");
            JsonObject notice = rig.awaitBotEvent(room, "m.room.message", e -> true);
            assertThat(notice.getJsonObject("content").getString("body")).isEqualTo(reason);
        }
    }
}
