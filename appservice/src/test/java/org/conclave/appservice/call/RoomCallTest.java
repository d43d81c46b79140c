package org.conclave.appservice.call;

import static org.assertj.core.api.Assertions.assertThat;
import static org.conclave.appservice.call.ServiceRig.BOT;
import static org.conclave.appservice.call.ServiceRig.CONF;

import io.vertx.core.json.JsonObject;
import java.util.List;
import org.conclave.appservice.config.CallConfig;
import org.conclave.appservice.event.Delivery;
import org.conclave.appservice.event.RoomEvent;
import org.conclave.sfu.control.CloseCause;
import org.conclave.sfu.control.FailureReason;
import org.conclave.sfu.control.SfuDescription;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Calls signalled with room events in a DM, through the service, with a fake SFU and a fake homeserver. */
class RoomCallTest {
    private static final String ALICE = "@alice:hs";
    private static final String DM = "!dm-alice:hs";

    /** Only users of hs may call. */
    private final ServiceRig rig = new ServiceRig(new CallConfig(List.of("hs"), 50, true, 30_000));

    @AfterEach
    void close() throws Exception {
        rig.close();
    }

    /** Alice calls from her DM; returns once the bot has answered. */
    private void call(String callId) throws Exception {
        rig.push(ServiceRig.event(DM, ALICE, "m.call.invite", ServiceRig.invite(callId, "ALICEDEV", CONF, null)));
    }

    @Test
    void anInviteIsAnsweredThenGivenCandidatesInItsRoomAfterOneLookOfTheConferenceRoom() throws Exception {
        rig.conference(CONF, ALICE);
        call("c1");

        assertThat(rig.types(DM)).containsExactly("m.call.answer", "m.call.candidates");
        JsonObject answer = rig.last(DM, "m.call.answer").content();
        assertThat(answer.getString("call_id")).isEqualTo("c1");
        assertThat(answer.getString("version")).isEqualTo("1");
        assertThat(answer.getString("party_id")).startsWith("conclave-");
        // matrix-js-sdk drops room call events whose conf_id names a group call it does not know.
        assertThat(answer.containsKey("conf_id")).isFalse();
        assertThat(answer.getJsonObject("sdp_stream_metadata")).isEmpty();
        assertThat(answer.getJsonObject("org.matrix.msc3077.sdp_stream_metadata")).isEmpty();
        // No device_id in a room call from matrix-js-sdk: its party_id is the device id.
        assertThat(rig.sfu.calls()).first().isEqualTo("allocate " + CONF + " @alice:hs/ALICEDEV GUEST e2ee=false");
        assertThat(rig.hs.fetches()).isEqualTo(1);

        // The next call into the same conference costs no GET: the transactions keep the room's state.
        rig.push(ServiceRig.member(CONF, "@bob:hs", "join"));
        rig.push(ServiceRig.event("!dm-bob:hs", "@bob:hs", "m.call.invite",
                ServiceRig.invite("c2", "BOBDEV", CONF, "BOBDEV")));
        assertThat(rig.types("!dm-bob:hs")).containsExactly("m.call.answer", "m.call.candidates");
        assertThat(rig.hs.fetches()).isEqualTo(1);
    }

    @Test
    void theSfusOfferWaitsUntilTheAnswerAndCandidatesAreOut() throws Exception {
        rig.conference(CONF, ALICE);
        rig.hs.hold = true; // a slow homeserver: the answer stays on its way
        rig.context.runOnContext(v -> rig.service.onRoomEvent(new RoomEvent(ServiceRig.event(DM, ALICE,
                "m.call.invite", ServiceRig.invite("c1", "P", CONF, "D"))), new Delivery("t", false)));
        rig.settle();
        assertThat(rig.types(DM)).containsExactly("m.call.answer");

        // The SFU offers as soon as the endpoint connects, which may be before the answer's send returned.
        rig.sfu.listener("ep1").onOffer("ep1", new SfuDescription("offer-sdp", ServiceRig.camera("s1", "@b:hs/B")));
        rig.settle();
        assertThat(rig.types(DM)).containsExactly("m.call.answer");

        rig.hs.release();
        rig.settle();
        assertThat(rig.types(DM)).containsExactly("m.call.answer", "m.call.candidates", "m.call.negotiate");
        JsonObject negotiate = rig.last(DM, "m.call.negotiate").content();
        assertThat(negotiate.getJsonObject("description").getString("type")).isEqualTo("offer");
        assertThat(negotiate.getInteger("lifetime")).isEqualTo(30_000);
        assertThat(negotiate.getJsonObject("sdp_stream_metadata").getJsonObject("s1").getString("user_id"))
                .isEqualTo("@b:hs");
    }

    /**
     * The client hangs up and closes its peer connection at once: whichever reaches Conclave first, the bot sends
     * nothing back and the endpoint is freed. CONTROL is what an SFU without close causes reports for the client's
     * DTLS close.
     */
    @ParameterizedTest(name = "{0} first, close cause {1}")
    @CsvSource(delimiter = '|', textBlock = """
            hangup | CLIENT
            close  | CLIENT
            hangup | CONTROL
            close  | CONTROL
            reject | CLIENT
            """)
    void aClientsOwnEndIsNotAnswered(String first, CloseCause cause) throws Exception {
        rig.conference(CONF, ALICE);
        call("c1");
        String hangupType = first.equals("reject") ? "m.call.reject" : "m.call.hangup";
        JsonObject hangup = ServiceRig.event(DM, ALICE, hangupType, ServiceRig.call("c1", "ALICEDEV")
                .put("reason", "user_hangup"));

        if (first.equals("close")) {
            rig.sfu.listener("ep1").onClosed("ep1", cause, "the client closed DTLS");
            rig.settle();
            rig.push(hangup);
        } else {
            rig.push(hangup);
            rig.sfu.listener("ep1").onClosed("ep1", cause, "the client closed DTLS");
        }
        rig.settle();

        assertThat(rig.types(DM)).containsExactly("m.call.answer", "m.call.candidates");
        if (first.equals("close")) {
            assertThat(rig.sfuCalls(c -> c.startsWith("close"))).isEmpty();
        } else {
            assertThat(rig.sfuCalls(c -> c.startsWith("close"))).containsExactly("close ep1 the client ended the call");
        }
    }

    /** how the endpoint closed | m.call.hangup reason | org.conclave.code | the notice says */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            HOST     | user_hangup   | disconnected | A host of the conference disconnected you: too loud
            REFUSED  | user_hangup   | refused      | You were not let into the conference: too loud
            SHUTDOWN | user_hangup   | shutdown     | The conference server is restarting
            OPERATOR | user_hangup   | operator     | -
            FAILURE  | unknown_error | -            | -
            """)
    void theBotTellsTheCallerWhenTheEndpointIsClosedForThem(CloseCause cause, String reason, String code,
            String words) throws Exception {
        rig.conference(CONF, ALICE);
        call("c1");

        rig.sfu.listener("ep1").onClosed("ep1", cause, "too loud");
        rig.settle();

        JsonObject hangup = rig.last(DM, "m.call.hangup").content();
        assertThat(hangup.getString("reason")).isEqualTo(reason);
        assertThat(hangup.getString("org.conclave.code")).isEqualTo(code.equals("-") ? null : code);
        if (cause == CloseCause.OPERATOR) {
            assertThat(hangup.getString("org.conclave.reason")).isNotBlank();
        } else if (words.equals("-")) {
            assertThat(rig.types(DM)).containsExactly("m.call.answer", "m.call.candidates", "m.call.hangup");
        } else {
            assertThat(rig.types(DM)).containsExactly("m.call.answer", "m.call.candidates", "m.call.hangup", "notice");
            assertThat(rig.last(DM, "m.room.message").body()).startsWith(words);
            assertThat(hangup.getString("org.conclave.reason")).startsWith(words);
        }
        assertThat(rig.sfuCalls(c -> c.startsWith("close"))).as("the SFU closed it already").isEmpty();
    }

    @Test
    void stoppingWaitsUntilTheShutdownHangupsHaveGoneOut() throws Exception {
        rig.conference(CONF, ALICE);
        call("c1");
        rig.hs.hold = true;

        rig.sfu.listener("ep1").onClosed("ep1", CloseCause.SHUTDOWN, "SFU shutting down");
        io.vertx.core.Future<Void> stopped = rig.service.stop();
        rig.settle();
        assertThat(stopped.isComplete()).isFalse();

        rig.hs.release();
        stopped.await(10, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(rig.types(DM)).containsExactly("m.call.answer", "m.call.candidates", "m.call.hangup", "notice");
    }

    @Test
    void aFailureIsHungUpWithItsReasonOnceEvenWhenTheCloseFollows() throws Exception {
        rig.conference(CONF, ALICE);
        call("c1");

        rig.sfu.listener("ep1").onFailed("ep1", FailureReason.KEEP_ALIVE_TIMEOUT, "no pong for 30 s");
        rig.sfu.listener("ep1").onClosed("ep1", CloseCause.FAILURE, "no pong for 30 s");
        rig.settle();

        assertThat(rig.types(DM)).containsExactly("m.call.answer", "m.call.candidates", "m.call.hangup", "notice");
        assertThat(rig.last(DM, "m.call.hangup").content().getString("reason")).isEqualTo("keep_alive_timeout");
        assertThat(rig.last(DM, "m.room.message").body()).contains("keep-alive");
    }

    @Test
    void streamMetadataGoesBothWays() throws Exception {
        rig.conference(CONF, ALICE);
        rig.push(ServiceRig.event(DM, ALICE, "m.call.invite", ServiceRig.withMetadata(
                ServiceRig.invite("c1", "P", CONF, "D"), "org.matrix.msc3077.sdp_stream_metadata", "cam", "m.usermedia",
                true)));
        assertThat(rig.sfuCalls(c -> c.startsWith("applyOffer"))).singleElement().asString()
                .endsWith("{cam=StreamMetadata[purpose=USERMEDIA, audioMuted=true, videoMuted=false, participantId=null]}");

        rig.push(ServiceRig.event(DM, ALICE, "m.call.sdp_stream_metadata_changed", ServiceRig.withMetadata(
                ServiceRig.call("c1", "P"), "sdp_stream_metadata", "cam", "m.usermedia", false)));
        assertThat(rig.sfuCalls(c -> c.startsWith("metadata"))).singleElement().asString()
                .contains("cam=StreamMetadata[purpose=USERMEDIA, audioMuted=false");

        rig.sfu.listener("ep1").onStreamMetadata("ep1", ServiceRig.camera("bobcam", "@bob:hs/BOBDEV"));
        rig.settle();
        JsonObject changed = rig.last(DM, "m.call.sdp_stream_metadata_changed").content();
        JsonObject expected = new JsonObject().put("bobcam", new JsonObject().put("purpose", "m.usermedia")
                .put("audio_muted", false).put("video_muted", true).put("user_id", "@bob:hs")
                .put("device_id", "BOBDEV"));
        assertThat(changed.getJsonObject("sdp_stream_metadata")).isEqualTo(expected);
        assertThat(changed.getJsonObject("org.matrix.msc3077.sdp_stream_metadata")).isEqualTo(expected);
        assertThat(changed.getString("call_id")).isEqualTo("c1");
    }

    @Test
    void theCallersOffersAreAnsweredAndAnUnusableOneEndsTheCall() throws Exception {
        rig.conference(CONF, ALICE);
        call("c1");
        rig.sfu.streams = ServiceRig.camera("bobcam", "@bob:hs/B");

        rig.push(ServiceRig.event(DM, ALICE, "m.call.negotiate", ServiceRig.call("c1", "P").put("description",
                new JsonObject().put("type", "offer").put("sdp", "ice restart"))));
        JsonObject answer = rig.last(DM, "m.call.negotiate").content();
        assertThat(answer.getJsonObject("description").getString("type")).isEqualTo("answer");
        assertThat(answer.getJsonObject("sdp_stream_metadata").getMap()).containsOnlyKeys("bobcam");

        rig.push(ServiceRig.event(DM, ALICE, "m.call.negotiate", ServiceRig.call("c1", "P").put("description",
                new JsonObject().put("type", "answer").put("sdp", "answer to the SFU"))));
        assertThat(rig.sfuCalls(c -> c.startsWith("applyAnswer"))).containsExactly("applyAnswer ep1 answer to the SFU");

        rig.push(ServiceRig.event(DM, ALICE, "m.call.negotiate", ServiceRig.call("c1", "P").put("description",
                new JsonObject().put("type", "offer").put("sdp", FakeSfu.BAD))));
        rig.settle();
        assertThat(rig.last(DM, "m.call.hangup").content().getString("reason")).isEqualTo("unknown_error");
        assertThat(rig.last(DM, "m.room.message").body()).contains("the offer has no BUNDLE");
        assertThat(rig.sfuCalls(c -> c.startsWith("close"))).containsExactly("close ep1 unknown_error");
    }

    @Test
    void candidatesGoToTheEndpointAndAnotherPartySelectedEndsQuietly() throws Exception {
        rig.conference(CONF, ALICE);
        call("c1");

        rig.push(ServiceRig.event(DM, ALICE, "m.call.candidates", ServiceRig.candidates("c1", "P", "candidate:9")));
        rig.push(ServiceRig.event(DM, ALICE, "m.call.select_answer", ServiceRig.call("c1", "P")
                .put("selected_party_id", "someone-else")));
        rig.settle();

        assertThat(rig.sfuCalls(c -> c.startsWith("candidate") || c.startsWith("close")))
                .containsExactly("candidate ep1 candidate:9", "close ep1 the client ended the call");
        assertThat(rig.types(DM)).containsExactly("m.call.answer", "m.call.candidates");
    }

    @Test
    void eventsOfACallFromAnotherRoomOrSenderAreIgnored() throws Exception {
        rig.conference(CONF, ALICE);
        call("c1");

        rig.push(ServiceRig.event("!elsewhere:hs", ALICE, "m.call.hangup", ServiceRig.call("c1", "P")));
        rig.push(ServiceRig.event(DM, "@mallory:hs", "m.call.hangup", ServiceRig.call("c1", "P")));
        rig.settle();

        assertThat(rig.sfuCalls(c -> c.startsWith("close"))).isEmpty();
    }

    /** who the call comes from | how the conference room is set up | words of the refusal */
    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', textBlock = """
            @alice:hs        | member     | -
            @alice:elsewhere | member     | does not take calls from users of elsewhere
            @alice:hs        | not-member | You are not a member of the conference room !conf:hs
            @alice:hs        | no-bot     | I am not in the conference room !conf:hs
            @alice:hs        | no-conf-id | did not say which conference room
            @alice:hs        | group-id   | names a conference I do not know (conclave-0011)
            """)
    void refusedCallsGetARejectAndANoticeAndNoEndpoint(String caller, String setup, String words) throws Exception {
        CallRefusals.setUp(rig, setup, caller);
        String confId = setup.equals("no-conf-id") ? null : setup.equals("group-id") ? "conclave-0011" : CONF;

        rig.push(ServiceRig.event(DM, caller, "m.call.invite", ServiceRig.invite("c1", "P", confId, "D")));

        if (words.equals("-")) {
            assertThat(rig.types(DM)).containsExactly("m.call.answer", "m.call.candidates");
            return;
        }
        assertThat(rig.types(DM)).containsExactly("m.call.reject", "notice");
        assertThat(rig.last(DM, "m.room.message").body()).contains(words);
        assertThat(rig.last(DM, "m.call.reject").content().getString("org.conclave.reason")).contains(words);
        assertThat(rig.sfu.calls()).isEmpty();
        // The server is checked before anything is looked up.
        if (caller.endsWith("elsewhere")) assertThat(rig.hs.fetches()).isZero();
    }

    @Test
    void aCallerWhoLeavesOrIsKickedFromTheConferenceRoomIsHungUp() throws Exception {
        rig.conference(CONF, ALICE, "@bob:hs");
        call("c1");
        rig.push(ServiceRig.event("!dm-bob:hs", "@bob:hs", "m.call.invite", ServiceRig.invite("c2", "B", CONF, "B")));

        rig.push(ServiceRig.member(CONF, ALICE, "leave"));
        rig.push(ServiceRig.state(CONF, "@owner:hs", "m.room.member", "@bob:hs",
                new JsonObject().put("membership", "leave")));
        rig.settle();

        assertThat(rig.last(DM, "m.call.hangup").content().getString("reason")).isEqualTo("user_hangup");
        assertThat(rig.last(DM, "m.room.message").body()).contains("You left the conference room");
        assertThat(rig.last("!dm-bob:hs", "m.room.message").body()).contains("You were removed");
        assertThat(rig.sfuCalls(c -> c.startsWith("close"))).hasSize(2);
    }

    @Test
    void aRepeatedInviteOfARunningCallChangesNothing() throws Exception {
        rig.conference(CONF, ALICE);
        JsonObject invite = ServiceRig.event(DM, ALICE, "m.call.invite", ServiceRig.invite("c1", "P", CONF, "D"));
        rig.push(invite);
        rig.push(invite.copy().put("event_id", "$another"));

        assertThat(rig.sfuCalls(c -> c.startsWith("allocate"))).hasSize(1);
        assertThat(rig.types(DM)).containsExactly("m.call.answer", "m.call.candidates");
    }

    @Test
    void theSfuRefusingTheSetupIsToldInWords() throws Exception {
        rig.conference(CONF, ALICE);
        rig.sfu.full = true;

        call("c1");

        assertThat(rig.types(DM)).containsExactly("m.call.reject", "notice");
        assertThat(rig.last(DM, "m.room.message").body()).isEqualTo("I could not set up your call: the SFU is full");
    }
}
