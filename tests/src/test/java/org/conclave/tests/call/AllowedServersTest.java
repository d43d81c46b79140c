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
 * refused in words in rooms the bot already is in, and gets no SFU endpoint; an invite from such a user is declined
 * with a notice and a leave whose reason says why.
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
