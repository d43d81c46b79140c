package org.conclave.appservice.call;

import static org.assertj.core.api.Assertions.assertThat;
import static org.conclave.appservice.call.ServiceRig.BOT_DEVICE;
import static org.conclave.appservice.call.ServiceRig.BOT_SESSION;
import static org.conclave.appservice.call.ServiceRig.CONF;

import io.vertx.core.json.JsonObject;
import java.util.List;
import org.conclave.appservice.config.CallConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Calls signalled with to-device messages (MSC3401 fields) through the service, with a fake SFU and a fake homeserver:
 * what matrix-js-sdk checks in the bot's messages, the sender's seq order, and both transports in one conference.
 */
class ToDeviceCallTest {
    private static final String CAROL = "@carol:hs";
    private static final String CAROL_DEVICE = "CAROLDEV";
    private static final String TO_CAROL = CAROL + " " + CAROL_DEVICE;

    private final ServiceRig rig = new ServiceRig(new CallConfig(List.of("hs"), 50, true, 30_000));

    @AfterEach
    void close() throws Exception {
        rig.close();
    }

    /** What carol's client puts on every to-device call message. */
    private static JsonObject fromCarol(JsonObject content, int seq) {
        return content.put("device_id", CAROL_DEVICE).put("sender_session_id", "carol-session")
                .put("dest_session_id", BOT_SESSION).put("seq", seq);
    }

    private static JsonObject invite(String confId, int seq) {
        return fromCarol(ServiceRig.invite("c1", CAROL_DEVICE, confId, CAROL_DEVICE), seq);
    }

    @Test
    void theAnswerCarriesWhatMatrixJsSdkChecksAndCountsSeqFromZero() throws Exception {
        rig.conference(CONF, CAROL);

        rig.pushToDevice(CAROL, "m.call.invite", invite(CONF, 0));

        assertThat(rig.types(TO_CAROL)).containsExactly("m.call.answer", "m.call.candidates");
        List<FakeHomeserver.Sent> sent = rig.hs.sent(s -> s.kind().equals("to-device"));
        for (int seq = 0; seq < sent.size(); seq++) {
            JsonObject c = sent.get(seq).content();
            assertThat(c.getString("call_id")).isEqualTo("c1");
            assertThat(c.getString("version")).isEqualTo("1");
            assertThat(c.getString("party_id")).startsWith("conclave-");
            assertThat(c.getString("conf_id")).as("the caller's own conf_id").isEqualTo(CONF);
            assertThat(c.getString("device_id")).isEqualTo(BOT_DEVICE);
            assertThat(c.getString("sender_session_id")).isEqualTo(BOT_SESSION);
            assertThat(c.getString("dest_session_id")).isEqualTo("carol-session");
            assertThat(c.getInteger("seq")).isEqualTo(seq);
        }
        assertThat(sent.get(0).content().getJsonObject("sdp_stream_metadata")).isNotNull();
        assertThat(sent).extracting(FakeHomeserver.Sent::txnId).doesNotHaveDuplicates();
        assertThat(rig.sfu.calls()).first().isEqualTo("allocate " + CONF + " @carol:hs/CAROLDEV GUEST e2ee=false");
        // Nothing went to a room.
        assertThat(rig.hs.sent(s -> s.kind().equals("event"))).isEmpty();
    }

    @Test
    void messagesAreHandledInSeqOrderAndRepeatsAreDropped() throws Exception {
        rig.conference(CONF, CAROL);
        JsonObject candidates = fromCarol(ServiceRig.candidates("c1", CAROL_DEVICE, "candidate:1"), 1);
        JsonObject hangup = fromCarol(ServiceRig.call("c1", CAROL_DEVICE).put("reason", "user_hangup"), 2);

        // Out of order: the hangup and the candidates arrive before the invite, and everything twice.
        rig.pushToDevice(CAROL, "m.call.hangup", hangup);
        rig.pushToDevice(CAROL, "m.call.candidates", candidates);
        assertThat(rig.sfu.calls()).isEmpty();
        rig.pushToDevice(CAROL, "m.call.invite", invite(CONF, 0));
        rig.pushToDevice(CAROL, "m.call.candidates", candidates);
        rig.pushToDevice(CAROL, "m.call.invite", invite(CONF, 0));
        rig.settle();

        assertThat(rig.sfu.calls()).extracting(c -> c.split(" ")[0])
                .containsExactly("allocate", "applyOffer", "candidate", "close");
        assertThat(rig.types(TO_CAROL)).containsExactly("m.call.answer", "m.call.candidates");
    }

    @Test
    void eventsOfTheCallFromAnotherDeviceOrARoomAreNotTakenAsIts() throws Exception {
        rig.conference(CONF, CAROL);
        rig.pushToDevice(CAROL, "m.call.invite", invite(CONF, 0));

        rig.pushToDevice(CAROL, "m.call.hangup", ServiceRig.call("c1", "X").put("device_id", "OTHERDEV").put("seq", 0));
        rig.push(ServiceRig.event("!some-room:hs", CAROL, "m.call.hangup", ServiceRig.call("c1", "X")));
        rig.settle();

        assertThat(rig.sfuCalls(c -> c.startsWith("close"))).isEmpty();
    }

    @Test
    void aCallerFromAServerNotAllowedIsRejectedWithTheReasonAndGetsNoEndpoint() throws Exception {
        rig.conference(CONF, "@dave:blocked.org");

        rig.pushToDevice("@dave:blocked.org", "m.call.invite", fromCarol(ServiceRig.invite("c9", "D", CONF, "D"), 0));

        FakeHomeserver.Sent reject = rig.last("@dave:blocked.org " + CAROL_DEVICE, "m.call.reject");
        assertThat(reject.content().getString("org.conclave.reason")).contains("blocked.org");
        assertThat(rig.sfu.calls()).isEmpty();
        // Told in the conference room too, although no call had needed that room's state before (the server check
        // comes first, so nothing else loaded it).
        FakeHomeserver.Sent notice = rig.last(CONF, "m.room.message");
        assertThat(notice.content().getString("body")).startsWith("@dave:blocked.org: ").contains("blocked.org");
    }

    @Test
    void noticesForToDeviceCallersGoToTheConferenceRoomAddressedToThem() throws Exception {
        rig.conference(CONF, CAROL);
        rig.pushToDevice(CAROL, "m.call.invite", invite(CONF, 0));

        rig.sfu.listener("ep1").onMediaRefused("ep1", "no SFrame header in 40 frames");
        rig.sfu.listener("ep1").onMediaRefused("ep1", "no SFrame header in 40 frames");
        rig.settle();

        List<FakeHomeserver.Sent> notices = rig.hs.sent(s -> s.target().equals(CONF) && "m.room.message".equals(s.type()));
        assertThat(notices).hasSize(2); // once per hold, as the SFU reports them
        JsonObject notice = notices.get(0).content();
        assertThat(notice.getString("msgtype")).isEqualTo("m.notice");
        assertThat(notice.getString("body")).startsWith(CAROL + ": Your client is not encrypting its media")
                .contains("nobody can see or hear you");
        assertThat(notice.getJsonObject("m.mentions").getJsonArray("user_ids")).containsExactly(CAROL);
    }

    @Test
    void oneConferenceTakesCallersOfBothTransportsAndTheGroupCallIdAsConfId() throws Exception {
        rig.conference(CONF, CAROL, "@alice:hs");
        rig.push(ServiceRig.event("!dm:hs", "@alice:hs", "m.call.invite", ServiceRig.invite("a1", "A", CONF, "A")));
        rig.sfu.listener("ep1").onConnected("ep1");
        rig.settle();
        String groupCallId = rig.last(CONF, Conferences.CALL_STATE).stateKey();

        rig.pushToDevice(CAROL, "m.call.invite", invite(groupCallId, 0));

        assertThat(rig.sfuCalls(c -> c.startsWith("allocate"))).containsExactly(
                "allocate " + CONF + " @alice:hs/A GUEST e2ee=false",
                "allocate " + CONF + " @carol:hs/CAROLDEV GUEST e2ee=false");
        assertThat(rig.last(TO_CAROL, "m.call.answer").content().getString("conf_id")).isEqualTo(groupCallId);
        assertThat(rig.types("!dm:hs")).containsExactly("m.call.answer", "m.call.candidates");
    }
}
