package org.conclave.sfu.room;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.conclave.sfu.room.ControlMessage.*;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ControlMessagesTest {
    private final ControlMessages parser = new ControlMessages(RoomOptions.DEFAULTS);

    static Stream<Arguments> refused() {
        String deep = "{\"type\":\"m.call.ping\",\"content\":" + "{\"a\":".repeat(20) + "1" + "}".repeat(20) + "}";
        String many = "{\"type\":\"m.call.track_subscription\",\"content\":{\"subscribe\":["
                + "{\"stream_id\":\"s\",\"track_id\":\"t\"},".repeat(300) + "{\"stream_id\":\"s\",\"track_id\":\"t\"}]}}";
        return Stream.of(
                Arguments.of("", ErrorCode.M_NOT_JSON),
                Arguments.of("not json", ErrorCode.M_NOT_JSON),
                Arguments.of("{\"type\":\"m.call.ping\"", ErrorCode.M_NOT_JSON),
                Arguments.of("{\"type\":\"m.call.ping\",\"content\":{}} {}", ErrorCode.M_NOT_JSON),
                Arguments.of("[1,2]", ErrorCode.M_BAD_JSON),
                Arguments.of("\"m.call.ping\"", ErrorCode.M_BAD_JSON),
                Arguments.of("{}", ErrorCode.M_BAD_JSON),
                Arguments.of("{\"type\":5,\"content\":{}}", ErrorCode.M_BAD_JSON),
                Arguments.of("{\"type\":\"m.call.ping\",\"content\":[]}", ErrorCode.M_BAD_JSON),
                Arguments.of(deep, ErrorCode.M_BAD_JSON),
                // Within the size limit, nested as deep as it allows: refused at level 9, the rest unread.
                Arguments.of("{\"type\":\"m.call.ping\",\"content\":{\"a\":" + "[".repeat(100_000)
                        + "]".repeat(100_000) + "}}", ErrorCode.M_BAD_JSON),
                Arguments.of("{\"type\":\"m.call.ping\",\"content\":{\"pad\":\"" + "x".repeat(270_000) + "\"}}",
                        ErrorCode.M_TOO_LARGE),
                Arguments.of("{\"type\":\"m.call.hangup\",\"content\":{}}", ErrorCode.M_UNRECOGNIZED),
                Arguments.of("{\"type\":\"org.conclave.lock\",\"content\":{\"request_id\":7}}", ErrorCode.M_BAD_JSON),
                Arguments.of(sub("[{\"stream_id\":\"s\",\"track_id\":\"t\",\"width\":-1}]"), ErrorCode.M_INVALID_PARAM),
                Arguments.of(sub("[{\"stream_id\":\"s\",\"track_id\":\"t\",\"width\":1.5}]"), ErrorCode.M_INVALID_PARAM),
                Arguments.of(sub("[{\"stream_id\":\"s\",\"track_id\":\"t\",\"height\":99999999999}]"), ErrorCode.M_INVALID_PARAM),
                Arguments.of(sub("[{\"stream_id\":\"s\",\"track_id\":\"t\",\"width\":\"640\"}]"), ErrorCode.M_BAD_JSON),
                Arguments.of(sub("[{\"stream_id\":\"s\"}]"), ErrorCode.M_BAD_JSON),
                Arguments.of(sub("[{\"stream_id\":\"\",\"track_id\":\"t\"}]"), ErrorCode.M_INVALID_PARAM),
                Arguments.of(sub("[\"s/t\"]"), ErrorCode.M_BAD_JSON),
                Arguments.of(sub("{\"stream_id\":\"s\",\"track_id\":\"t\"}"), ErrorCode.M_BAD_JSON),
                Arguments.of(many, ErrorCode.M_INVALID_PARAM),
                Arguments.of("{\"type\":\"m.call.negotiate\",\"content\":{}}", ErrorCode.M_BAD_JSON),
                Arguments.of("{\"type\":\"m.call.negotiate\",\"content\":{\"description\":{\"type\":\"pranswer\",\"sdp\":\"v=0\"}}}",
                        ErrorCode.M_INVALID_PARAM),
                Arguments.of("{\"type\":\"m.call.negotiate\",\"content\":{\"description\":{\"type\":\"offer\",\"sdp\":\" \"}}}",
                        ErrorCode.M_INVALID_PARAM),
                Arguments.of("{\"type\":\"m.call.negotiate\",\"content\":{\"description\":{\"type\":\"offer\"}}}",
                        ErrorCode.M_BAD_JSON),
                Arguments.of(meta("{\"s1\":{\"purpose\":\"m.hologram\"}}"), ErrorCode.M_INVALID_PARAM),
                Arguments.of(meta("{\"s1\":{\"audio_muted\":\"yes\"}}"), ErrorCode.M_BAD_JSON),
                Arguments.of(meta("{\"s1\":{\"tracks\":{\"t1\":{\"width\":-5}}}}"), ErrorCode.M_INVALID_PARAM),
                Arguments.of(meta("{\"s1\":5}"), ErrorCode.M_BAD_JSON),
                Arguments.of(meta("[]"), ErrorCode.M_BAD_JSON),
                Arguments.of("{\"type\":\"org.conclave.speaking\",\"content\":{}}", ErrorCode.M_BAD_JSON),
                Arguments.of("{\"type\":\"org.conclave.speaking\",\"content\":{\"speaking\":\"yes\"}}", ErrorCode.M_BAD_JSON),
                Arguments.of("{\"type\":\"org.conclave.mute\",\"content\":{}}", ErrorCode.M_BAD_JSON),
                Arguments.of("{\"type\":\"org.conclave.admit\",\"content\":{\"endpoint_id\":\"\"}}", ErrorCode.M_INVALID_PARAM),
                Arguments.of("{\"type\":\"org.conclave.admit\",\"content\":{\"endpoint_id\":[\"a\"]}}", ErrorCode.M_BAD_JSON),
                Arguments.of("{\"type\":\"org.conclave.disconnect\",\"content\":{\"endpoint_id\":\"" + "e".repeat(300) + "\"}}",
                        ErrorCode.M_INVALID_PARAM),
                Arguments.of("{\"type\":\"org.conclave.set_focus\",\"content\":{}}", ErrorCode.M_BAD_JSON),
                Arguments.of("{\"type\":\"org.conclave.roster_filter\",\"content\":{\"filters\":[\"vip\"]}}", ErrorCode.M_INVALID_PARAM),
                Arguments.of("{\"type\":\"org.conclave.roster_filter\",\"content\":{\"filters\":[3]}}", ErrorCode.M_BAD_JSON),
                Arguments.of("{\"type\":\"org.conclave.roster_filter\",\"content\":{\"filters\":\"hosts\"}}", ErrorCode.M_BAD_JSON),
                Arguments.of("{\"type\":\"org.conclave.roster_filter\",\"content\":{\"name\":\"" + "n".repeat(65) + "\"}}",
                        ErrorCode.M_INVALID_PARAM));
    }

    private static String sub(String list) {
        return "{\"type\":\"m.call.track_subscription\",\"content\":{\"subscribe\":" + list + "}}";
    }

    private static String meta(String map) {
        return "{\"type\":\"m.call.sdp_stream_metadata_changed\",\"content\":{\"sdp_stream_metadata\":" + map + "}}";
    }

    @ParameterizedTest
    @MethodSource("refused")
    void refusesWithTheRightErrcode(String json, ErrorCode expected) {
        ControlMessageException e = catchThrowableOfType(ControlMessageException.class, () -> parser.parse(json));
        assertThat(e).as("parse(%s)", json.length() > 200 ? json.substring(0, 200) : json).isNotNull();
        assertThat(e.errcode()).isEqualTo(expected);
        assertThat(e.getMessage()).isNotBlank();
    }

    @Test
    void errorsCarryTypeAndRequestId() {
        ControlMessageException e = catchThrowableOfType(ControlMessageException.class, () -> parser.parse(
                "{\"type\":\"org.conclave.mute\",\"content\":{\"request_id\":\"r1\"}}"));
        assertThat(e.requestType()).isEqualTo("org.conclave.mute");
        assertThat(e.requestId()).isEqualTo("r1");
        assertThat(e.getMessage()).contains("endpoint_id");
    }

    @Test
    void unknownTypeIsQuotedShortAndClean() {
        ControlMessageException e = catchThrowableOfType(ControlMessageException.class, () -> parser.parse(
                "{\"type\":\"x\\n" + "y".repeat(200) + "\",\"content\":{}}"));
        assertThat(e.errcode()).isEqualTo(ErrorCode.M_UNRECOGNIZED);
        assertThat(e.getMessage()).doesNotContain("\n").hasSizeLessThan(120);
    }

    @Test
    void parsesTrackSubscription() throws Exception {
        ControlMessage m = parser.parse("{\"type\":\"m.call.track_subscription\",\"content\":{\"request_id\":\"q\","
                + "\"subscribe\":[{\"stream_id\":\"s\",\"track_id\":\"t\",\"width\":1280,\"height\":720}],"
                + "\"unsubscribe\":[{\"stream_id\":\"s2\",\"track_id\":\"t2\"}],\"future_field\":true}}");
        assertThat(m).isEqualTo(new TrackSubscription(List.of(new Subscribe("s", "t", 1280, 720)),
                List.of(new TrackRefMessage("s2", "t2")), "q"));
    }

    @Test
    void parsesNegotiateAndMetadata() throws Exception {
        assertThat(parser.parse("{\"type\":\"m.call.negotiate\",\"content\":{\"description\":{\"type\":\"offer\","
                + "\"sdp\":\"v=0\\r\\n\"}}}")).isEqualTo(new Negotiate("offer", "v=0\r\n", null));
        StreamMetadataChanged md = (StreamMetadataChanged) parser.parse(meta(
                "{\"s1\":{\"purpose\":\"m.screenshare\",\"audio_muted\":true,\"tracks\":{\"t1\":{\"width\":1920,\"height\":1080}}},"
                        + "\"s2\":{}}"));
        assertThat(md.streams().get("s1").purpose()).isEqualTo(org.conclave.sfu.control.StreamMetadata.Purpose.SCREENSHARE);
        assertThat(md.streams().get("s1").audioMuted()).isTrue();
        assertThat(md.streams().get("s1").trackSizes().get("t1")).containsExactly(1920, 1080);
        assertThat(md.streams().get("s2").purpose()).isEqualTo(org.conclave.sfu.control.StreamMetadata.Purpose.USERMEDIA);
    }

    @Test
    void parsesCommands() throws Exception {
        assertThat(parser.parse("{\"type\":\"org.conclave.lower_hand\",\"content\":{}}")).isEqualTo(new LowerHand(null, null));
        assertThat(parser.parse("{\"type\":\"org.conclave.set_focus\",\"content\":{\"endpoint_id\":null}}"))
                .isEqualTo(new SetFocus(null, null));
        assertThat(parser.parse("{\"type\":\"org.conclave.reject\",\"content\":{\"endpoint_id\":\"e\",\"reason\":\"no\"}}"))
                .isEqualTo(new Reject("e", "no", null));
        assertThat(parser.parse("{\"type\":\"org.conclave.roster_filter\",\"content\":{\"filters\":[\"all\",\"hosts\",\"muted\"],"
                + "\"name\":\"Ali\"}}")).isEqualTo(new RosterFilterMessage(Set.of(RosterCriterion.HOSTS, RosterCriterion.MUTED), "Ali", null));
        assertThat(parser.parse("{\"type\":\"org.conclave.speaking\",\"content\":{\"speaking\":true}}"))
                .isEqualTo(new Speaking(true, null));
        assertThat(parser.parse("{\"type\":\"org.conclave.lock\"}")).isEqualTo(new Lock(null));
    }

    @Test
    void hostOnlyIsExactlyTheModerationCommands() throws Exception {
        List<String> host = List.of("lock", "unlock", "lower_all_hands", "mute_guests", "unmute_guests");
        for (String t : host) assertThat(parser.parse("{\"type\":\"org.conclave." + t + "\"}").hostOnly()).as(t).isTrue();
        for (String t : List.of("admit", "reject", "mute", "unmute", "spotlight", "unspotlight", "disconnect", "set_focus")) {
            assertThat(parser.parse("{\"type\":\"org.conclave." + t + "\",\"content\":{\"endpoint_id\":\"e\"}}").hostOnly())
                    .as(t).isTrue();
        }
        for (String t : List.of("raise_hand", "lower_hand", "roster_filter")) {
            assertThat(parser.parse("{\"type\":\"org.conclave." + t + "\"}").hostOnly()).as(t).isFalse();
        }
        assertThat(parser.parse("{\"type\":\"m.call.ping\"}").hostOnly()).isFalse();
    }
}
