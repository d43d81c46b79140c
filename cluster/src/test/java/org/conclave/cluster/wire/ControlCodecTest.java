package org.conclave.cluster.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.conclave.sfu.control.AllocateRequest;
import org.conclave.sfu.control.CloseCause;
import org.conclave.sfu.control.EndpointAllocation;
import org.conclave.sfu.control.FailureReason;
import org.conclave.sfu.control.Role;
import org.conclave.sfu.control.SfuDescription;
import org.conclave.sfu.control.StreamMetadata;
import org.conclave.sfu.control.VideoQuality;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every message survives the wire unchanged; whatever is out of shape is refused with a {@link WireException}. */
class ControlCodecTest {
    private static final Map<String, StreamMetadata> STREAMS = streams();
    private static final String SDP = "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=group:BUNDLE 0\r\n"
            + "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=mid:0\r\na=msid:é-stream ü-track\r\n";

    private static Map<String, StreamMetadata> streams() {
        Map<String, StreamMetadata> m = new LinkedHashMap<>();
        m.put("cam-1", new StreamMetadata(StreamMetadata.Purpose.USERMEDIA, true, false, "@alice:hs/DEV"));
        m.put("screen-1", StreamMetadata.own(StreamMetadata.Purpose.SCREENSHARE, false, true));
        return m;
    }

    static Stream<Request> requests() {
        return Stream.of(
                new Request.Allocate(new AllocateRequest("!room:hs", "@alice:hs/DEV", Role.HOST, true), "owner-1",
                        "conclave.appservice.owner-1.events"),
                new Request.Allocate(new AllocateRequest("!r:hs", "", Role.GUEST, false), "o", "a"),
                new Request.ApplyOffer("ep1", SDP, STREAMS),
                new Request.ApplyOffer("ep1", SDP, Map.of()),
                new Request.SetStreamMetadata("ep1", STREAMS),
                new Request.RequireE2ee("!room:hs"),
                new Request.ApplyAnswer("ep1", SDP),
                new Request.AddCandidate("ep1", "candidate:1 1 udp 2122260223 10.0.0.1 5000 typ host", "0"),
                new Request.AddCandidate("ep1", "", null),
                new Request.SetVideoQuality("ep1", "stream", "track", VideoQuality.FULL_RES),
                new Request.Close("ep1", "the client ended the call", CloseCause.CONTROL),
                new Request.Close("ep1", null, CloseCause.OPERATOR),
                new Request.SetDraining(true),
                new Request.SetDraining(false));
    }

    static Stream<Reply> replies() {
        return Stream.of(new Reply.Done(), new Reply.Allocated(new EndpointAllocation("ep1", "!room:hs")),
                new Reply.Described(new SfuDescription(SDP, STREAMS)),
                new Reply.Refused(FailureReason.CAPACITY, "This conference server is full."),
                new Reply.Refused(FailureReason.NODE_FAILED, null),
                new Reply.Loaded(new NodeLoad("node-a", "id", "conclave.sfu.id", 0, 0, 1, 0, false, 1)));
    }

    static Stream<NodeEvent> events() {
        return Stream.of(new NodeEvent.Connected("node-a", "ep1"),
                new NodeEvent.Failed("node-a", "ep1", FailureReason.ICE_TIMEOUT, "no check arrived"),
                new NodeEvent.Failed("node-a", "ep1", FailureReason.INTERNAL, null),
                new NodeEvent.Closed("node-a", "ep1", CloseCause.HOST, "bye"),
                new NodeEvent.Offer("node-a", "ep1", new SfuDescription(SDP, STREAMS)),
                new NodeEvent.Metadata("node-a", "ep1", STREAMS),
                new NodeEvent.MediaRefused("node-a", "ep1", "not encrypted"),
                new NodeEvent.LayerChanged("node-a", "ep1", "s", "t", VideoQuality.THUMBNAIL, "bandwidth"));
    }

    @ParameterizedTest
    @MethodSource("requests")
    void requestsRoundTrip(Request r) {
        assertThat(ControlCodec.decodeRequest(ControlCodec.encode(r))).isEqualTo(r);
    }

    @ParameterizedTest
    @MethodSource("replies")
    void repliesRoundTrip(Reply r) {
        assertThat(ControlCodec.decodeReply(ControlCodec.encode(r))).isEqualTo(r);
    }

    @ParameterizedTest
    @MethodSource("events")
    void eventsRoundTrip(NodeEvent e) {
        assertThat(ControlCodec.decodeEvent(ControlCodec.encode(e))).isEqualTo(e);
    }

    @Test
    void heartbeatsRoundTrip() {
        NodeLoad load = new NodeLoad("node-a", "6f1c-uuid", "conclave.sfu.6f1c-uuid", 42, 3, 500, 0.375, true, 77);
        assertThat(ControlCodec.decodeLoad(ControlCodec.encode(load))).isEqualTo(load);
    }

    /** Every proper prefix of every message is refused: nothing reads past the end. */
    @Test
    void everyTruncationIsRefused() {
        List<Buffer> all = Stream.of(requests().map(ControlCodec::encode), replies().map(ControlCodec::encode),
                events().map(ControlCodec::encode)).flatMap(s -> s).toList();
        for (Buffer b : all) {
            for (int n = 0; n < b.length(); n++) {
                Buffer cut = b.getBuffer(0, n);
                assertThatThrownBy(() -> decodeAny(cut)).as("%d of %d bytes", n, b.length())
                        .isInstanceOf(WireException.class);
            }
        }
    }

    static Stream<Arguments> hostile() {
        Buffer close = ControlCodec.encode(new Request.Close("ep1", "r", CloseCause.CONTROL));
        return Stream.of(
                bad("empty", Buffer.buffer(), "ends"),
                bad("another version", with(close, 0, 2), "version 2"),
                bad("unknown kind", Buffer.buffer(new byte[] {1, 99}), "unknown request kind"),
                bad("a reply where a request goes", ControlCodec.encode(new Reply.Done()), "unknown request kind"),
                bad("a byte left over", close.copy().appendByte((byte) 0), "left over"),
                bad("negative string length", Buffer.buffer(new byte[] {1, 4, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF,
                        (byte) 0xFF}), "outside"),
                bad("string longer than the message", Buffer.buffer(new byte[] {1, 4, 0, 0, 0, 9, 'a'}), "needed"),
                bad("string over the limit", Buffer.buffer(new byte[] {1, 4, 0, 0x7F, 0, 0}), "outside"),
                bad("malformed UTF-8", Buffer.buffer(new byte[] {1, 4, 0, 0, 0, 2, (byte) 0xC3, 0x28}), "UTF-8"),
                bad("unknown enum name", request(w -> w.string("ep1").nullable("r").string("EXPLODE"), 8),
                        "unknown CloseCause EXPLODE"),
                bad("boolean 2", Buffer.buffer(new byte[] {1, 9, 2}), "boolean byte 2"),
                bad("stream count beyond the limit", request(w -> w.string("ep1").i32(1 << 20), 3), "count"),
                bad("negative stream count", request(w -> w.string("ep1").i32(-1), 3), "count"),
                bad("a stream described twice", request(w -> w.string("ep1").i32(2)
                        .string("s").name(StreamMetadata.Purpose.USERMEDIA).bool(false).bool(false).nullable(null)
                        .string("s").name(StreamMetadata.Purpose.USERMEDIA).bool(false).bool(false).nullable(null), 3),
                        "twice"),
                bad("blank conference id", request(w -> w.string(" ").string("p").name(Role.GUEST).bool(false)
                        .string("o").string("a"), 1), "conferenceId must not be blank"),
                bad("oversized message", Buffer.buffer(new byte[WireReader.MAX_MESSAGE_BYTES + 1]), "limit"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostile")
    void hostileRequestsAreRefused(String what, Buffer message, String says) {
        assertThatThrownBy(() -> ControlCodec.decodeRequest(message)).isInstanceOf(WireException.class)
                .hasMessageContaining(says);
    }

    @Test
    void heartbeatsOutOfRangeAreRefused() {
        Function<Double, Buffer> withRatio = ratio -> new WireWriter().u8(1).u8(60).string("n").string("id")
                .string("a").i32(1).i32(1).i32(500).f64(ratio).bool(false).i64(1).buffer();
        for (double ratio : new double[] {Double.NaN, -0.1, 1.5, Double.POSITIVE_INFINITY}) {
            assertThatThrownBy(() -> ControlCodec.decodeLoad(withRatio.apply(ratio))).as("busy ratio %s", ratio)
                    .isInstanceOf(WireException.class);
        }
        Buffer negative = new WireWriter().u8(1).u8(60).string("n").string("id").string("a").i32(-1).i32(1).i32(500)
                .f64(0).bool(false).i64(1).buffer();
        assertThatThrownBy(() -> ControlCodec.decodeLoad(negative)).isInstanceOf(WireException.class);
        assertThatThrownBy(() -> ControlCodec.decodeLoad(ControlCodec.encode(new Reply.Done())))
                .isInstanceOf(WireException.class).hasMessageContaining("heartbeat");
    }

    @Test
    void eventsOfUnknownKindAreRefused() {
        Buffer b = new WireWriter().u8(1).u8(49).string("node").string("ep").buffer();
        assertThatThrownBy(() -> ControlCodec.decodeEvent(b)).isInstanceOf(WireException.class)
                .hasMessageContaining("unknown event kind");
    }

    @Test
    void encodingRefusesWhatTheWireCannotCarry() {
        String huge = "x".repeat(WireReader.MAX_STRING_BYTES + 1);
        assertThatThrownBy(() -> ControlCodec.encode(new Request.ApplyAnswer("ep", huge)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(huge.getBytes(StandardCharsets.UTF_8).length).isGreaterThan(WireReader.MAX_STRING_BYTES);
    }

    private static Arguments bad(String what, Buffer message, String says) {
        return Arguments.of(what, message, says);
    }

    private static Buffer request(Function<WireWriter, WireWriter> body, int kind) {
        return body.apply(new WireWriter().u8(1).u8(kind)).buffer();
    }

    private static Buffer with(Buffer b, int index, int value) {
        Buffer copy = b.copy();
        copy.setByte(index, (byte) value);
        return copy;
    }

    private static Object decodeAny(Buffer b) {
        if (b.length() < 2) return ControlCodec.decodeRequest(b);
        int kind = b.getUnsignedByte(1);
        if (kind < 20) return ControlCodec.decodeRequest(b);
        if (kind < 40) return ControlCodec.decodeReply(b);
        return ControlCodec.decodeEvent(b);
    }
}
