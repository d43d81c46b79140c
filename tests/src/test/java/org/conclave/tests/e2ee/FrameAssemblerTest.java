package org.conclave.tests.e2ee;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Table tests: RTP packets (in arrival order) in, rebuilt frames out. */
class FrameAssemblerTest {
    private static final int SSRC = 0x01020304;

    /** One RTP packet: 12-byte header, then {@code payloadHex}. */
    private static TappedPacket rtp(int seq, long ts, boolean marker, String payloadHex) {
        byte[] payload = HexFormat.of().parseHex(payloadHex.replace(" ", ""));
        byte[] b = new byte[12 + payload.length];
        b[0] = (byte) 0x80;
        b[1] = (byte) ((marker ? 0x80 : 0) | 96);
        b[2] = (byte) (seq >> 8);
        b[3] = (byte) seq;
        for (int i = 0; i < 4; i++) b[4 + i] = (byte) (ts >> (24 - 8 * i));
        for (int i = 0; i < 4; i++) b[8 + i] = (byte) (SSRC >> (24 - 8 * i));
        System.arraycopy(payload, 0, b, 12, payload.length);
        return new TappedPacket("ep", b);
    }

    static Stream<Arguments> vp8Cases() {
        return Stream.of(
                Arguments.of("one packet, 1-byte descriptor",
                        List.of(rtp(10, 100, true, "10 aa bb cc")), List.of("aabbcc")),
                Arguments.of("extended descriptor: 7-bit picture id",
                        List.of(rtp(10, 100, true, "90 80 05 aa bb")), List.of("aabb")),
                Arguments.of("extended descriptor: 15-bit picture id, TL0PICIDX and TID",
                        List.of(rtp(10, 100, true, "90 e0 81 05 07 40 aa bb")), List.of("aabb")),
                Arguments.of("three packets out of order are joined in sequence order",
                        List.of(rtp(11, 100, false, "00 02"), rtp(10, 100, false, "10 01"), rtp(12, 100, true, "00 03")),
                        List.of("010203")),
                Arguments.of("a missing middle packet loses that frame only",
                        List.of(rtp(10, 100, false, "10 01"), rtp(12, 100, true, "00 03"),
                                rtp(13, 200, true, "10 04")),
                        List.of("04")),
                Arguments.of("a duplicate counts once",
                        List.of(rtp(10, 100, false, "10 01"), rtp(10, 100, false, "10 01"), rtp(11, 100, true, "00 02")),
                        List.of("0102")),
                Arguments.of("across the sequence wrap",
                        List.of(rtp(65535, 100, false, "10 01"), rtp(0, 100, true, "00 02"), rtp(1, 200, true, "10 03")),
                        List.of("0102", "03")),
                Arguments.of("a continuation without its start is dropped",
                        List.of(rtp(11, 100, true, "00 02"), rtp(12, 200, true, "10 03")), List.of("03")),
                Arguments.of("no marker: the frame is incomplete",
                        List.of(rtp(10, 100, false, "10 01")), List.of()),
                Arguments.of("a timestamp change inside a frame drops it",
                        List.of(rtp(10, 100, false, "10 01"), rtp(11, 200, true, "00 02")), List.of()),
                Arguments.of("a descriptor with nothing after it is skipped",
                        List.of(rtp(10, 100, true, "90 80"), rtp(11, 200, true, "10 05")), List.of("05")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vp8Cases")
    void vp8(String name, List<TappedPacket> packets, List<String> expected) {
        assertThat(FrameAssembler.vp8(packets)).extracting(f -> HexFormat.of().formatHex(f.data()))
                .containsExactlyElementsOf(expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("opusCases")
    void opus(String name, List<TappedPacket> packets, List<String> expected) {
        assertThat(FrameAssembler.opus(packets)).extracting(f -> HexFormat.of().formatHex(f.data()))
                .containsExactlyElementsOf(expected);
    }

    static Stream<Arguments> opusCases() {
        return Stream.of(
                Arguments.of("one frame per packet, in sequence order",
                        List.of(rtp(2, 960, true, "78 02"), rtp(1, 0, true, "78 01")), List.of("7801", "7802")),
                Arguments.of("an empty payload is no frame",
                        List.of(rtp(1, 0, false, ""), rtp(2, 960, false, "78 02")), List.of("7802")));
    }

    @org.junit.jupiter.api.Test
    void framesKeepTheirEndpointSsrcAndTimestamp() {
        TappedFrame f = FrameAssembler.vp8(List.of(rtp(7, 0xFFFFFFF0L, true, "10 aa"))).get(0);
        assertThat(f.endpointId()).isEqualTo("ep");
        assertThat(f.ssrc()).isEqualTo(SSRC);
        assertThat(f.rtpTimestamp()).isEqualTo(0xFFFFFFF0L);
    }
}
