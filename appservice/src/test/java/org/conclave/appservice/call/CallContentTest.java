package org.conclave.appservice.call;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.conclave.sfu.control.FailureReason;
import org.conclave.sfu.control.StreamMetadata;
import org.conclave.sfu.control.StreamMetadata.Purpose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Reading what callers send (untrusted) and writing what the bot sends, as tables. */
class CallContentTest {

    /** content (JSON) | what the bot reads of the caller's streams */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            {}                                                                                      | {}
            {"sdp_stream_metadata": {"s1": {"purpose": "m.usermedia", "audio_muted": true}}}        | {s1=USERMEDIA,a-muted}
            {"org.matrix.msc3077.sdp_stream_metadata": {"s1": {"purpose": "m.screenshare"}}}        | {s1=SCREENSHARE}
            {"sdp_stream_metadata": {"new": {}}, "org.matrix.msc3077.sdp_stream_metadata": {"old": {}}} | {new=USERMEDIA}
            {"sdp_stream_metadata": "nonsense", "org.matrix.msc3077.sdp_stream_metadata": {"old": {}}}  | {old=USERMEDIA}
            {"sdp_stream_metadata": {"s1": 5, "": {}, "s2": {"purpose": 7, "video_muted": "yes"}}}  | {s2=USERMEDIA}
            {"sdp_stream_metadata": {"s1": {"purpose": "m.bogus", "video_muted": true}}}            | {s1=USERMEDIA,v-muted}
            """)
    void readsTheCallersMetadataUnderEitherKey(String json, String expected) {
        Map<String, StreamMetadata> read = SdpStreamMetadata.read(new JsonObject(json));
        StringBuilder shown = new StringBuilder("{");
        read.forEach((id, m) -> shown.append(shown.length() > 1 ? ", " : "").append(id).append('=')
                .append(m.purpose()).append(m.audioMuted() ? ",a-muted" : "").append(m.videoMuted() ? ",v-muted" : ""));
        assertThat(shown.append('}').toString()).isEqualTo(expected);
        read.values().forEach(m -> assertThat(m.participantId()).isNull());
    }

    @Test
    void readsAtMostABoundedNumberOfStreams() {
        JsonObject all = new JsonObject();
        for (int i = 0; i < 1000; i++) all.put("s" + i, new JsonObject());
        all.put("x".repeat(SdpStreamMetadata.MAX_STREAM_ID_CHARS + 1), new JsonObject());

        assertThat(SdpStreamMetadata.read(new JsonObject().put(SdpStreamMetadata.KEY, all)))
                .hasSize(SdpStreamMetadata.MAX_STREAMS);
    }

    @Test
    void writesTheSfusStreamsUnderBothKeysWithTheirSender() {
        JsonObject content = CallContent.negotiate("offer", "sdp", Map.of(
                "cam", new StreamMetadata(Purpose.USERMEDIA, true, false, "@alice:hs/ALICEDEV"),
                "screen", new StreamMetadata(Purpose.SCREENSHARE, false, false, "@bob/x:hs:8448/DEV/2")), 30_000);

        JsonObject expected = new JsonObject("""
                {"cam": {"purpose": "m.usermedia", "audio_muted": true, "video_muted": false,
                         "user_id": "@alice:hs", "device_id": "ALICEDEV"},
                 "screen": {"purpose": "m.screenshare", "audio_muted": false, "video_muted": false,
                            "user_id": "@bob/x:hs:8448", "device_id": "DEV/2"}}""");
        assertThat(content.getJsonObject("sdp_stream_metadata")).isEqualTo(expected);
        assertThat(content.getJsonObject("org.matrix.msc3077.sdp_stream_metadata")).isEqualTo(expected);
        assertThat(content.getJsonObject("description")).isEqualTo(new JsonObject().put("type", "offer")
                .put("sdp", "sdp"));
        assertThat(content.getInteger("lifetime")).isEqualTo(30_000);
        // An answer of no streams still says so: the client knows the bot describes its streams.
        assertThat(CallContent.answer("sdp", Map.of()).getJsonObject("sdp_stream_metadata")).isEmpty();
        assertThat(CallContent.negotiate("answer", "sdp", Map.of(), 30_000).containsKey("lifetime")).isFalse();
    }

    /** SFU participant id | user id | device id */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "null", textBlock = """
            @alice:hs/DEV           | @alice:hs           | DEV
            @a/b:hs:8448/DEV/X      | @a/b:hs:8448        | DEV/X
            @alice:hs               | @alice:hs           | null
            @alice:hs/              | @alice:hs           | ''
            """)
    void participantIdsSplitIntoUserAndDevice(String id, String user, String device) {
        Participant p = Participant.parse(id);
        assertThat(p.userId()).isEqualTo(user);
        assertThat(p.deviceId()).isEqualTo(device);
        if (device != null) assertThat(p.id()).isEqualTo(id);
    }

    /** invite content (JSON) | device the bot uses | conf_id | or: why it is unusable */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "null", textBlock = """
            {"call_id": "c", "version": "1", "party_id": "P", "device_id": "D", "conf_id": "!r:hs", "offer": {"type": "offer", "sdp": "x"}} | D       | !r:hs | null
            {"call_id": "c", "version": "1", "party_id": "P", "conf_id": "g1", "offer": {"type": "offer", "sdp": "x"}}                    | P       | g1    | null
            {"call_id": "c", "version": 0, "offer": {"type": "offer", "sdp": "x"}}                                                      | unknown | null  | null
            {"version": "1", "offer": {"type": "offer", "sdp": "x"}}                                                                    | null    | null  | no usable call_id
            {"call_id": "c", "version": "2", "offer": {"type": "offer", "sdp": "x"}}                                                    | null    | null  | unsupported version 2
            {"call_id": "c", "version": "1", "offer": {"type": "answer", "sdp": "x"}}                                                   | null    | null  | no offer
            {"call_id": "c", "version": "1", "offer": {"type": "offer"}}                                                                | null    | null  | no offer
            {"call_id": 5, "version": "1", "offer": {"type": "offer", "sdp": "x"}}                                                      | null    | null  | no usable call_id
            """)
    void invitesAreReadWithTheDeviceFallingBackToThePartyId(String json, String device, String confId,
            String unusable) throws Exception {
        if (unusable != null) {
            assertThatThrownBy(() -> CallInvite.parse(new JsonObject(json))).hasMessage(unusable);
            return;
        }
        CallInvite invite = CallInvite.parse(new JsonObject(json));
        assertThat(invite.deviceId()).isEqualTo(device);
        assertThat(invite.confId()).isEqualTo(confId);
        assertThat(invite.lifetimeMs()).isEqualTo(CallInvite.DEFAULT_LIFETIME_MS);
    }

    /** failure | m.call.hangup reason | a notice */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            ICE_TIMEOUT               | ice_timeout        | true
            ICE_CONSENT_EXPIRED       | ice_failed         | true
            DTLS_FAILED               | ice_failed         | true
            DTLS_FINGERPRINT_MISMATCH | ice_failed         | true
            KEEP_ALIVE_TIMEOUT        | keep_alive_timeout | true
            CAPACITY                  | unknown_error      | true
            BAD_SDP                   | unknown_error      | false
            INTERNAL                  | unknown_error      | false
            """)
    void failuresMapToHangupReasons(FailureReason failure, String reason, boolean notice) {
        assertThat(CallContent.hangupReason(failure)).isEqualTo(reason);
        assertThat(Notices.failure(failure) != null).isEqualTo(notice);
    }

    @Test
    void candidatesComeFromTheAnswerThenEndOfCandidates() {
        JsonObject c = CallContent.candidates(FakeSfu.ANSWER_SDP);
        assertThat(c.getJsonArray("candidates")).containsExactly(
                new JsonObject().put("candidate", "candidate:1 1 udp 2130706431 127.0.0.1 10000 typ host")
                        .put("sdpMLineIndex", 0).put("sdpMid", "0"),
                new JsonObject().put("candidate", "").put("sdpMid", "0").put("sdpMLineIndex", 0));
    }
}
