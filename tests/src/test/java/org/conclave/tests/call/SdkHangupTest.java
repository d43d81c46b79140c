package org.conclave.tests.call;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.conclave.tests.call.SdkCaller.Media;
import org.conclave.tests.call.SdkCaller.Transport;
import org.conclave.tests.client.ControlClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bot ending matrix-js-sdk calls, end to end (docs/protocol.md, "How a call ends"): a host disconnecting a
 * participant over the data channel, and the server shutting down (what SIGTERM runs: {@code ConclaveServer.close};
 * the signal itself is GracefulShutdownTest's). Each SDK call, on either transport, ends with the bot's
 * {@code m.call.hangup} ({@code user_hangup}, the words in {@code org.conclave.reason}), and the person can read why
 * where their client shows it: the DM for room calls, the conference room (addressed to them) for to-device calls.
 * And a client that stops answering the SFU's keep-alive pings is hung up with {@code keep_alive_timeout}.
 */
class SdkHangupTest {
    private static final Duration MEDIA_TIMEOUT = Duration.ofSeconds(60);
    private static final String HOST = "@host:" + CallRig.SERVER_NAME;
    /** Conclave Web's label for the control channel (any label works: the SFU answers on every channel). */
    private static final String CONTROL_CHANNEL = "conclave";
    private static final int KEEPALIVE_INTERVAL_MS = 500;
    private static final int KEEPALIVE_TIMEOUT_MS = 3_000;

    @TempDir
    Path dir;

    @Test
    void aHostDisconnectingParticipantsEndsTheirSdkCallsWithTheHostsReason() throws Exception {
        try (SdkConference conf = SdkConference.start(dir, CallRig.Settings.defaults(), "owner", Map.of(HOST, 50))) {
            SdkCaller roomGuest = conf.join("dana", Transport.ROOM);
            SdkCaller deviceGuest = conf.join("eve", Transport.TO_DEVICE_ROOM_ID);
            conf.owner.invite(conf.room, HOST);
            conf.rig.user("host").join(conf.room);
            try (JavaCaller host = JavaCaller.open(conf.rig.bridge, conf.rig.user("host"), conf.room);
                    ControlClient dc = new ControlClient(host.peer, "host")) {
                host.connect();
                dc.open(CallRig.TIMEOUT);
                roomGuest.place(conf.room, Media.SMALL);
                deviceGuest.place(conf.room, Media.SMALL);
                roomGuest.awaitMedia(List.of(deviceGuest), "m.usermedia", 1, 0, MEDIA_TIMEOUT);
                deviceGuest.awaitMedia(List.of(roomGuest), "m.usermedia", 1, 0, MEDIA_TIMEOUT);

                disconnect(dc, roomGuest, "Please join again from a quieter room.");
                JsonObject end = assertHungUpWith(roomGuest, "Please join again from a quieter room.");
                assertNoticeReads(roomGuest, roomGuest.dmRoom(), "A host of the conference disconnected you: Please"
                        + " join again from a quieter room.");
                assertThat(deviceGuest.status().getString("state")).as("the other guest stays").isEqualTo("connected");

                disconnect(dc, deviceGuest, "This meeting is for the board only.");
                assertHungUpWith(deviceGuest, "This meeting is for the board only.");
                assertNoticeReads(deviceGuest, conf.room, deviceGuest.userId + ": A host of the conference"
                        + " disconnected you: This meeting is for the board only.");
                conf.rig.awaitEndpointCount(1, CallRig.TIMEOUT);
                assertThat(end.getJsonArray("errors")).isEmpty();
            }
        }
    }

    /**
     * Issue 11, must-show 6 end to end: two SDK callers open the control data channel (as Conclave Web does) and
     * answer the SFU's pings; one stops answering and is hung up with {@code keep_alive_timeout} no sooner than the
     * configured timeout, and told why; the other stays.
     */
    @Test
    void aClientThatStopsAnsweringPingsIsHungUpWithKeepAliveTimeout() throws Exception {
        CallRig.Settings settings = CallRig.Settings.defaults().withKeepalive(KEEPALIVE_INTERVAL_MS,
                KEEPALIVE_TIMEOUT_MS);
        try (SdkConference conf = SdkConference.start(dir, settings, "alice", Map.of())) {
            SdkCaller alice = conf.join("alice", Transport.ROOM);
            SdkCaller bob = conf.join("bob", Transport.TO_DEVICE_ROOM_ID);
            alice.place(conf.room, Media.SMALL, CONTROL_CHANNEL);
            bob.place(conf.room, Media.SMALL, CONTROL_CHANNEL);
            alice.awaitMedia(List.of(bob), "m.usermedia", 1, 0, MEDIA_TIMEOUT);
            bob.awaitMedia(List.of(alice), "m.usermedia", 1, 0, MEDIA_TIMEOUT);
            for (SdkCaller c : List.of(alice, bob)) {
                c.awaitStatus(s -> s.getJsonObject("control").getInteger("pongs") >= 3, "three pings answered",
                        CallRig.TIMEOUT);
            }

            long stoppedAt = System.nanoTime();
            int pingsBefore = bob.answerPings(false);
            String words = "Your call was ended because your client stopped answering the conference server's"
                    + " keep-alive messages. Call again to rejoin.";
            JsonObject end = assertHungUpWith(bob, "keep_alive_timeout", words);
            long afterMs = (System.nanoTime() - stoppedAt) / 1_000_000;
            int unanswered = end.getJsonObject("control").getInteger("pings") - pingsBefore;
            System.out.printf("[measure] SdkHangupTest: hung up with keep_alive_timeout %d ms after the client stopped"
                    + " answering (%d pings unanswered; interval %d ms, timeout %d ms)%n", afterMs, unanswered,
                    KEEPALIVE_INTERVAL_MS, KEEPALIVE_TIMEOUT_MS);
            assertThat(afterMs).as("not before the configured timeout").isGreaterThanOrEqualTo(KEEPALIVE_TIMEOUT_MS);
            assertThat(unanswered).as("pings left unanswered").isPositive();
            assertNoticeReads(bob, conf.room, bob.userId + ": " + words);

            conf.rig.awaitEndpointCount(1, CallRig.TIMEOUT);
            int alicePongs = alice.status().getJsonObject("control").getInteger("pongs");
            JsonObject still = alice.awaitStatus(s -> s.getJsonObject("control").getInteger("pongs") >= alicePongs + 2,
                    "still pinged and answering", CallRig.TIMEOUT);
            assertThat(still.getString("state")).as("the client that answers stays").isEqualTo("connected");
            assertThat(conf.botHangups()).as("one hangup, to bob").hasSize(1);
        }
    }

    @Test
    void aShutdownEndsSdkCallsOnBothTransportsWithAReason() throws Exception {
        try (SdkConference conf = SdkConference.start(dir, "alice")) {
            SdkCaller alice = conf.join("alice", Transport.ROOM);
            SdkCaller bob = conf.join("bob", Transport.TO_DEVICE_ROOM_ID);
            alice.place(conf.room, Media.SMALL);
            bob.place(conf.room, Media.SMALL);
            alice.awaitMedia(List.of(bob), "m.usermedia", 1, 0, MEDIA_TIMEOUT);
            bob.awaitMedia(List.of(alice), "m.usermedia", 1, 0, MEDIA_TIMEOUT);

            conf.rig.server.close();

            String words = "The conference server is restarting, so your call was ended. You can call again in a"
                    + " moment.";
            assertHungUpWith(alice, words);
            assertHungUpWith(bob, words);
            assertNoticeReads(alice, alice.dmRoom(), words);
            assertNoticeReads(bob, conf.room, bob.userId + ": " + words);
        }
    }

    private static void disconnect(ControlClient host, SdkCaller guest, String reason) throws Exception {
        host.awaitRoster(r -> endpointOf(r, guest) != null, CallRig.TIMEOUT);
        JsonNode ok = host.call("org.conclave.disconnect", Map.of("endpoint_id", endpointOf(host.roster(), guest),
                "reason", reason), CallRig.TIMEOUT);
        assertThat(ok.path("request_type").asText()).as("%s", ok).isEqualTo("org.conclave.disconnect");
    }

    private static String endpointOf(Map<String, JsonNode> roster, SdkCaller guest) {
        return roster.values().stream().filter(e -> e.path("participant").asText()
                .equals(guest.userId + "/" + guest.deviceId)).map(e -> e.path("id").asText()).findFirst().orElse(null);
    }

    /** The SDK's call ended by the other side (the bot) with user_hangup, the words in the bot's hangup. */
    private static JsonObject assertHungUpWith(SdkCaller caller, String words) throws Exception {
        return assertHungUpWith(caller, "user_hangup", words);
    }

    /** The same with that reason. */
    private static JsonObject assertHungUpWith(SdkCaller caller, String reason, String words) throws Exception {
        JsonObject end = caller.awaitEnded(CallRig.TIMEOUT);
        String why = caller + ": " + end.encode();
        assertThat(end.getString("hangupParty")).as(why).isEqualTo("remote");
        assertThat(end.getString("hangupReason")).as(why).isEqualTo(reason);
        List<JsonObject> hangups = SdkCaller.voip(end, CallContent.HANGUP);
        assertThat(hangups).as(why).hasSize(1);
        assertThat(hangups.get(0).getString("words")).as(why).contains(words);
        assertThat(hangups.get(0).getBoolean("toDevice")).as(why).isEqualTo(caller.transport.toDevice());
        return end;
    }

    /** The bot's notice, as the caller's own client has it in that room. */
    private static void assertNoticeReads(SdkCaller caller, String room, String text)
            throws Exception {
        caller.awaitBotMessage(room, text::equals, "\"" + text + "\"", CallRig.TIMEOUT);
    }
}
