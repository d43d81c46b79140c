package org.conclave.sfu.sctp.dcep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Stream;
import org.conclave.sfu.sctp.chunk.Hex;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Table tests of the DCEP codec (RFC 8832 §5). */
class DcepMessageTest {
    static Stream<Arguments> valid() {
        return Stream.of(
                Arguments.of("reliable 'chat'", "03 00 01 00 00 00 00 00 00 04 00 00 63 68 61 74",
                        new DcepMessage.Open(ChannelType.RELIABLE, 256, 0, "chat", "")),
                Arguments.of("unordered, 0 retransmits, protocol 'json'",
                        "03 81 02 00 00 00 00 00 00 00 00 04 6a 73 6f 6e",
                        new DcepMessage.Open(ChannelType.PARTIAL_RELIABLE_REXMIT_UNORDERED, 512, 0, "", "json")),
                Arguments.of("timed 1500 ms", "03 02 00 80 00 00 05 dc 00 01 00 01 61 62",
                        new DcepMessage.Open(ChannelType.PARTIAL_RELIABLE_TIMED, 128, 1500, "a", "b")),
                Arguments.of("largest reliability parameter", "03 01 01 00 ff ff ff ff 00 00 00 00",
                        new DcepMessage.Open(ChannelType.PARTIAL_RELIABLE_REXMIT, 256, 0xFFFFFFFFL, "", "")),
                Arguments.of("UTF-8 label", "03 80 01 00 00 00 00 00 00 02 00 00 c3 bc",
                        new DcepMessage.Open(ChannelType.RELIABLE_UNORDERED, 256, 0, "\u00fc", "")),
                Arguments.of("ACK", "02", new DcepMessage.Ack()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valid")
    void parsesAndEncodes(String name, String hex, DcepMessage expected) throws Exception {
        byte[] b = Hex.bytes("ee " + hex + " ee");
        assertThat(DcepMessage.parse(b, 1, b.length - 2)).isEqualTo(expected);
        assertThat(Hex.string(expected.encode())).isEqualTo(Hex.string(Hex.bytes(hex)));
    }

    static Stream<Arguments> invalid() {
        return Stream.of(
                Arguments.of("empty", "", "empty DCEP message"),
                Arguments.of("ACK with a trailing byte", "02 00", "DATA_CHANNEL_ACK longer than 1 byte"),
                Arguments.of("unknown message type", "04", "unknown DCEP message type 4"),
                Arguments.of("OPEN shorter than 12", "03 00 01 00 00 00 00 00 00 00 00",
                        "DATA_CHANNEL_OPEN shorter than 12 bytes"),
                Arguments.of("unknown channel type", "03 03 01 00 00 00 00 00 00 00 00 00", "unknown channel type 3"),
                Arguments.of("label longer than the message", "03 00 01 00 00 00 00 00 00 05 00 00 63 68 61 74",
                        "DATA_CHANNEL_OPEN length does not match label and protocol lengths"),
                Arguments.of("trailing bytes", "03 00 01 00 00 00 00 00 00 00 00 00 00",
                        "DATA_CHANNEL_OPEN length does not match label and protocol lengths"),
                Arguments.of("label not UTF-8", "03 00 01 00 00 00 00 00 00 01 00 00 ff", "label or protocol is not UTF-8"),
                Arguments.of("protocol not UTF-8", "03 00 01 00 00 00 00 00 00 00 00 02 c3 28",
                        "label or protocol is not UTF-8"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalid")
    void rejects(String name, String hex, String message) {
        byte[] b = Hex.bytes(hex);
        assertThatThrownBy(() -> DcepMessage.parse(b, 0, b.length)).isInstanceOf(DcepFormatException.class)
                .hasMessage(message);
    }

    @ParameterizedTest
    @EnumSource(ChannelType.class)
    void everyChannelTypeRoundTrips(ChannelType type) throws Exception {
        byte[] b = new DcepMessage.Open(type, 256, 3, "l", "p").encode();
        assertThat(b[1] & 0xFF).isEqualTo(type.code());
        DcepMessage.Open parsed = (DcepMessage.Open) DcepMessage.parse(b, 0, b.length);
        assertThat(parsed.channelType()).isEqualTo(type);
        assertThat(ChannelType.of(type.ordered(), type.reliability())).isEqualTo(type);
    }

    @Test
    void channelTypesMapToOrderingAndReliability() {
        assertThat(ChannelType.PARTIAL_RELIABLE_TIMED_UNORDERED.ordered()).isFalse();
        assertThat(ChannelType.PARTIAL_RELIABLE_TIMED_UNORDERED.reliability()).isEqualTo(ChannelType.Reliability.MAX_LIFETIME);
        assertThat(ChannelType.PARTIAL_RELIABLE_REXMIT.ordered()).isTrue();
        assertThat(ChannelType.PARTIAL_RELIABLE_REXMIT.reliability()).isEqualTo(ChannelType.Reliability.MAX_RETRANSMITS);
        assertThat(ChannelType.of(0x7f)).isNull();
    }
}
