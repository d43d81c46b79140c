package org.conclave.sfu.sctp.chunk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.conclave.sfu.sctp.chunk.ReConfigParameter.IncomingResetRequest;
import org.conclave.sfu.sctp.chunk.ReConfigParameter.OtherRequest;
import org.conclave.sfu.sctp.chunk.ReConfigParameter.OutgoingResetRequest;
import org.conclave.sfu.sctp.chunk.ReConfigParameter.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Table tests of the SCTP codecs: chunk bytes to values and back, malformed bytes to errors, checksums. */
class SctpPacketTest {
    private static final byte[] NONE = new byte[0];

    /** Chunk bytes (padded), the value they parse to, and whether writing the value gives the same bytes. */
    static Stream<Arguments> chunks() {
        return Stream.of(
                row("DATA B|E", "00 03 00 15 00 00 00 07 00 01 00 02 00 00 00 33 68 65 6c 6c 6f 00 00 00",
                        new DataChunk(7, 1, 2, 51, false, true, true, "hello".getBytes(StandardCharsets.UTF_8)), true),
                row("DATA unordered middle", "00 04 00 11 ff ff ff ff 03 ff 00 00 00 00 00 35 aa 00 00 00",
                        new DataChunk(-1, 1023, 0, 53, true, false, false, new byte[] {(byte) 0xaa}), true),
                row("DATA without user data", "00 03 00 10 00 00 00 01 00 00 00 00 00 00 00 33",
                        new DataChunk(1, 0, 0, 51, false, true, true, NONE), true),
                row("INIT as Chrome (dcSCTP) sends it",
                        "01 00 00 20 12 34 56 78 00 02 00 00 ff ff ff ff 01 02 03 04 80 08 00 06 82 c0 00 00 c0 00 00 04",
                        new InitChunk(false, 0x12345678, 131072, 65535, 65535, 0x01020304, new byte[] {(byte) 0x82, (byte) 0xc0},
                                true, null, List.of()), true),
                row("INIT-ACK with cookie",
                        "02 00 00 28 00 00 00 09 00 10 00 00 04 00 04 00 00 00 00 05 00 07 00 08 de ad be ef "
                                + "80 08 00 06 c0 82 00 00 c0 00 00 04",
                        new InitChunk(true, 9, 1 << 20, 1024, 1024, 5, new byte[] {(byte) 0xc0, (byte) 0x82}, true,
                                new byte[] {(byte) 0xde, (byte) 0xad, (byte) 0xbe, (byte) 0xef}, List.of()), true),
                row("INIT: address ignored, 10xx skipped, 11xx reported, 00xx stops before Forward-TSN-Supported",
                        "01 00 00 34 00 00 00 01 00 00 10 00 00 0a 00 0a 00 00 00 09 00 05 00 08 7f 00 00 01 "
                                + "80 01 00 08 00 00 00 01 c0 06 00 08 00 00 00 00 00 99 00 04 c0 00 00 04",
                        new InitChunk(false, 1, 4096, 10, 10, 9, NONE, false, null,
                                List.of(new byte[] {(byte) 0xc0, 6, 0, 8, 0, 0, 0, 0})), false),
                row("INIT whose last parameter's padding is outside the chunk length",
                        "01 00 00 19 00 00 00 01 00 00 10 00 00 01 00 01 00 00 00 00 80 08 00 05 c0 00 00 00",
                        new InitChunk(false, 1, 4096, 1, 1, 0, new byte[] {(byte) 0xc0}, false, null, List.of()), true),
                row("SACK with gaps and a duplicate",
                        "03 00 00 1c 00 00 00 0a 00 01 00 00 00 02 00 01 00 02 00 03 00 05 00 05 00 00 00 08",
                        new SackChunk(10, 65536, new int[] {2, 5}, new int[] {3, 5}, new int[] {8}), true),
                row("HEARTBEAT", "04 00 00 0c 00 01 00 08 01 02 03 04",
                        new HeartbeatChunk(false, new byte[] {1, 2, 3, 4}), true),
                row("HEARTBEAT-ACK, odd info length", "05 00 00 0b 00 01 00 07 01 02 03 00",
                        new HeartbeatChunk(true, new byte[] {1, 2, 3}), true),
                row("ABORT with T bit and a protocol violation", "06 01 00 09 00 0d 00 05 78 00 00 00",
                        new AbortChunk(true, List.of(new ErrorCause(13, new byte[] {'x'}))), true),
                row("ABORT without causes", "06 00 00 04", new AbortChunk(false, List.of()), true),
                row("SHUTDOWN", "07 00 00 08 00 00 00 2a", new ShutdownChunk(42), true),
                row("SHUTDOWN-ACK", "08 00 00 04", new ShutdownAckChunk(), true),
                row("SHUTDOWN-COMPLETE with T bit", "0e 01 00 04", new ShutdownCompleteChunk(true), true),
                row("ERROR: invalid stream and stale cookie",
                        "09 00 00 14 00 01 00 08 00 05 00 00 00 03 00 08 00 00 03 e8",
                        new ErrorChunk(List.of(new ErrorCause(1, new byte[] {0, 5, 0, 0}),
                                new ErrorCause(3, new byte[] {0, 0, 3, (byte) 0xe8}))), true),
                row("COOKIE-ECHO", "0a 00 00 07 aa bb cc 00",
                        new CookieEchoChunk(new byte[] {(byte) 0xaa, (byte) 0xbb, (byte) 0xcc}), true),
                row("COOKIE-ACK", "0b 00 00 04", new CookieAckChunk(), true),
                row("FORWARD-TSN with two streams", "c0 00 00 10 00 00 00 64 00 01 00 05 00 03 00 00",
                        new ForwardTsnChunk(100, new int[] {1, 3}, new int[] {5, 0}), true),
                row("RE-CONFIG: outgoing SSN reset request",
                        "82 00 00 16 00 0d 00 12 00 00 00 01 00 00 00 02 00 00 00 03 00 01 00 00",
                        new ReConfigChunk(List.of(new OutgoingResetRequest(1, 2, 3, new int[] {1}))), true),
                row("RE-CONFIG: response", "82 00 00 10 00 10 00 0c 00 00 00 01 00 00 00 01",
                        new ReConfigChunk(List.of(Response.of(1, Response.SUCCESS_PERFORMED))), true),
                row("RE-CONFIG: incoming request and a response with TSNs",
                        "82 00 00 24 00 0e 00 0a 00 00 00 05 00 07 00 00 "
                                + "00 10 00 14 00 00 00 01 00 00 00 06 00 00 00 0a 00 00 00 0b",
                        new ReConfigChunk(List.of(new IncomingResetRequest(5, new int[] {7}),
                                new Response(1, Response.IN_PROGRESS, true, 10, 11))), true),
                row("RE-CONFIG: add outgoing streams (understood, to be refused)",
                        "82 00 00 10 00 11 00 0c 00 00 00 04 00 02 00 00",
                        new ReConfigChunk(List.of(new OtherRequest(17, 4, new byte[] {0, 2, 0, 0}))), true),
                row("unknown type 0x80 (skip)", "80 05 00 06 01 02 00 00",
                        new UnknownChunk(0x80, 5, new byte[] {1, 2}), true));
    }

    private static Arguments row(String name, String hex, Chunk expected, boolean roundTrips) {
        return Arguments.of(name, hex, expected, roundTrips);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("chunks")
    void parsesAndWritesChunk(String name, String hex, Chunk expected, boolean roundTrips) throws Exception {
        byte[] p = Hex.packet(0x01020304, hex);
        SctpPacket parsed = SctpPacket.parse(p, 0, p.length);
        assertThat(parsed.chunks()).hasSize(1);
        assertThat(parsed.chunks().get(0)).usingRecursiveComparison().isEqualTo(expected);
        if (roundTrips) {
            byte[] written = new byte[Wire.padded(expected.length())];
            assertThat(expected.write(written, 0)).isEqualTo(written.length);
            assertThat(Hex.string(written)).isEqualTo(Hex.string(Hex.bytes(hex)));
        }
    }

    @Test
    void parsesAtAnOffsetAndReadsTheHeader() throws Exception {
        byte[] inner = Hex.packet(0xCAFEBABE, "0b 00 00 04 08 00 00 04");
        byte[] b = new byte[inner.length + 7];
        System.arraycopy(inner, 0, b, 3, inner.length);
        SctpPacket p = SctpPacket.parse(b, 3, inner.length);
        assertThat(p.sourcePort()).isEqualTo(5000);
        assertThat(p.destinationPort()).isEqualTo(5000);
        assertThat(p.verificationTag()).isEqualTo(0xCAFEBABE);
        assertThat(p.chunks()).containsExactly(new CookieAckChunk(), new ShutdownAckChunk());
        assertThat(p.encode()).isEqualTo(inner);
    }

    @Test
    void stopsAfterAnUnknownChunkThatSaysStop() throws Exception {
        byte[] p = Hex.packet(1, "40 00 00 04 0b 00 00 04");
        assertThat(SctpPacket.parse(p, 0, p.length).chunks()).singleElement()
                .isInstanceOfSatisfying(UnknownChunk.class, u -> {
                    assertThat(u.action()).isEqualTo(ChunkType.UnknownAction.STOP_AND_REPORT);
                    assertThat(u.raw()).isEqualTo(new byte[] {0x40, 0, 0, 4});
                });
        byte[] skip = Hex.packet(1, "c1 00 00 04 0b 00 00 04");
        assertThat(SctpPacket.parse(skip, 0, skip.length).chunks()).hasSize(2);
    }

    @Test
    void unknownActionsFollowTheUpperTwoBits() {
        assertThat(ChunkType.UnknownAction.of(0x3f)).isEqualTo(ChunkType.UnknownAction.STOP);
        assertThat(ChunkType.UnknownAction.of(0x40)).isEqualTo(ChunkType.UnknownAction.STOP_AND_REPORT);
        assertThat(ChunkType.UnknownAction.of(0x80)).isEqualTo(ChunkType.UnknownAction.SKIP);
        assertThat(ChunkType.UnknownAction.of(0xc1)).isEqualTo(ChunkType.UnknownAction.SKIP_AND_REPORT);
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
                Arguments.of("chunk length below 4", "00 00 00 02", "bad chunk length 2"),
                Arguments.of("chunk longer than the packet", "0b 00 00 08", "bad chunk length 8"),
                Arguments.of("truncated chunk header", "0b 00 00 04 0b 00", "truncated chunk header"),
                Arguments.of("DATA shorter than its header", "00 03 00 0f 00 00 00 01 00 00 00 00 00 00 00 00",
                        "DATA shorter than its header"),
                Arguments.of("INIT shorter than 20", "01 00 00 10 00 00 00 01 00 00 10 00 00 01 00 01",
                        "INIT shorter than 20 bytes"),
                Arguments.of("INIT parameter length below 4",
                        "01 00 00 18 00 00 00 01 00 00 10 00 00 01 00 01 00 00 00 00 c0 00 00 02", "bad parameter length 2"),
                Arguments.of("INIT parameter beyond the chunk",
                        "01 00 00 18 00 00 00 01 00 00 10 00 00 01 00 01 00 00 00 00 c0 00 00 08", "bad parameter length 8"),
                Arguments.of("SACK counts larger than the chunk",
                        "03 00 00 10 00 00 00 0a 00 01 00 00 00 01 00 00", "SACK length does not match its counts"),
                Arguments.of("HEARTBEAT without a parameter", "04 00 00 04", "HEARTBEAT without Heartbeat Info"),
                Arguments.of("HEARTBEAT with another parameter", "04 00 00 08 00 02 00 04",
                        "HEARTBEAT without Heartbeat Info"),
                Arguments.of("HEARTBEAT with two parameters", "04 00 00 0c 00 01 00 04 00 01 00 04",
                        "HEARTBEAT with more than one parameter"),
                Arguments.of("SHUTDOWN of length 12", "07 00 00 0c 00 00 00 01 00 00 00 00", "SHUTDOWN length is not 8"),
                Arguments.of("SHUTDOWN-ACK with a value", "08 00 00 08 00 00 00 00", "SHUTDOWN-ACK with a value"),
                Arguments.of("SHUTDOWN-COMPLETE with a value", "0e 00 00 05 00 00 00 00", "SHUTDOWN-COMPLETE with a value"),
                Arguments.of("COOKIE-ACK with a value", "0b 00 00 05 01 00 00 00", "COOKIE-ACK with a value"),
                Arguments.of("FORWARD-TSN of length 10", "c0 00 00 0a 00 00 00 01 00 01 00 00",
                        "FORWARD-TSN length is not 8 + 4n"),
                Arguments.of("error cause shorter than 4", "09 00 00 08 00 01 00 03", "bad parameter length 3"),
                Arguments.of("RE-CONFIG without parameters", "82 00 00 04", "RE-CONFIG without parameters"),
                Arguments.of("RE-CONFIG with three parameters",
                        "82 00 00 28 00 10 00 0c 00 00 00 01 00 00 00 01 00 10 00 0c 00 00 00 02 00 00 00 01 "
                                + "00 10 00 0c 00 00 00 03 00 00 00 01", "RE-CONFIG with too many parameters"),
                Arguments.of("RE-CONFIG with an unknown parameter", "82 00 00 08 00 63 00 04",
                        "unknown re-config parameter 99"),
                Arguments.of("outgoing reset request with an odd length",
                        "82 00 00 15 00 0d 00 11 00 00 00 01 00 00 00 02 00 00 00 03 01 00 00 00",
                        "bad Outgoing SSN Reset Request length"),
                Arguments.of("response of length 16", "82 00 00 14 00 10 00 10 00 00 00 01 00 00 00 01 00 00 00 00",
                        "bad Re-configuration Response length"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void rejectsMalformedChunk(String name, String hex, String message) {
        byte[] p = Hex.packet(1, hex);
        assertThatThrownBy(() -> SctpPacket.parse(p, 0, p.length)).isInstanceOf(SctpFormatException.class)
                .hasMessage(message);
    }

    @Test
    void rejectsShortPacketsAndBadChecksums() {
        assertThatThrownBy(() -> SctpPacket.parse(new byte[11], 0, 11)).isInstanceOf(SctpFormatException.class)
                .hasMessage("shorter than the common header");
        byte[] p = Hex.packet(1, "0b 00 00 04");
        p[p.length - 1] ^= 1;
        assertThatThrownBy(() -> SctpPacket.parse(p, 0, p.length)).isInstanceOf(SctpFormatException.class)
                .hasMessage("bad CRC32c");
    }

    /** Packets written by another implementation (pion/sctp's test data, from usrsctp): the CRC32c is little-endian. */
    @Test
    void acceptsChecksumsOfAnotherImplementation() throws Exception {
        byte[] headerOnly = Hex.bytes("13 88 13 88 00 00 00 00 06 a9 00 e1");
        assertThat(SctpPacket.checksumValid(headerOnly, 0, headerOnly.length)).isTrue();
        assertThat(SctpPacket.parse(headerOnly, 0, headerOnly.length).chunks()).isEmpty();

        byte[] init = Hex.bytes("13 88 13 88 00 00 00 00 81 46 9d fc 01 00 00 56 55 b9 64 a5 00 02 00 00 04 00 08 00 "
                + "e8 6d 10 30 c0 00 00 04 80 08 00 09 c0 0f c1 80 82 00 00 00 80 02 00 24 9f eb bb 5c 50 c9 bf 75 "
                + "9c b1 2c 57 4f a4 5a 51 ba 60 17 78 27 94 5c 31 e6 5d 5b 09 47 e2 22 06 80 04 00 06 00 01 00 00 "
                + "80 03 00 06 80 c1 00 00");
        SctpPacket p = SctpPacket.parse(init, 0, init.length);
        assertThat(p.chunks()).singleElement().usingRecursiveComparison().isEqualTo(new InitChunk(false, 0x55b964a5,
                131072, 1024, 2048, 0xe86d1030, new byte[] {(byte) 0xc0, 0x0f, (byte) 0xc1, (byte) 0x80, (byte) 0x82},
                true, null, List.of()));
        assertThat(((InitChunk) p.chunks().get(0)).supportsExtension(ChunkType.RE_CONFIG)).isTrue();

        byte[] copy = init.clone();
        SctpPacket.seal(copy, 0, copy.length);
        assertThat(copy).isEqualTo(init);
    }

    @Test
    void errorCausesDescribeThemselves() {
        assertThat(ErrorCause.protocolViolation("bad\u0001thing").describe()).isEqualTo("protocol violation: bad?thing");
        assertThat(ErrorCause.staleCookie(5).describe()).isEqualTo("stale cookie");
        assertThat(ErrorCause.unrecognizedParameters(List.of(new byte[] {(byte) 0xc0, 6, 0, 5, 1})).info())
                .isEqualTo(new byte[] {(byte) 0xc0, 6, 0, 5, 1, 0, 0, 0});
    }
}
