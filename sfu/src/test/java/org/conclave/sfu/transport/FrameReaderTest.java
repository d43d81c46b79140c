package org.conclave.sfu.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** RFC 4571 framing, input bytes (in the chunks a socket may deliver them) to frames out, max frame 8 bytes. */
class FrameReaderTest {
    private static final int MAX = 8;

    static Stream<Arguments> streams() {
        return Stream.of(
                Arguments.of("one frame", List.of("0003aabbcc"), List.of("aabbcc"), false),
                Arguments.of("two frames in one read", List.of("0001aa0002bbcc"), List.of("aa", "bbcc"), false),
                Arguments.of("header split across reads", List.of("00", "02bbcc"), List.of("bbcc"), false),
                Arguments.of("payload split across reads", List.of("0004aa", "bb", "ccdd"), List.of("aabbccdd"), false),
                Arguments.of("frame and a half", List.of("0001aa0003bb"), List.of("aa"), false),
                Arguments.of("the half completed", List.of("0001aa0003bb", "cc", "dd"), List.of("aa", "bbccdd"), false),
                Arguments.of("empty frame is a frame", List.of("0000", "0001ee"), List.of("", "ee"), false),
                Arguments.of("longest allowed frame", List.of("0008" + "11".repeat(8)), List.of("11".repeat(8)), false),
                Arguments.of("one byte too long", List.of("0009" + "11".repeat(9)), List.of(), true),
                Arguments.of("64 KiB announced", List.of("ffff00"), List.of(), true),
                Arguments.of("too long after a good one", List.of("0001aa0100"), List.of("aa"), true),
                Arguments.of("nothing", List.of(""), List.of(), false),
                Arguments.of("a lone header byte", List.of("00"), List.of(), false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("streams")
    void framesOut(String name, List<String> reads, List<String> frames, boolean tooLong) {
        FrameReader reader = new FrameReader(MAX);
        List<String> out = new ArrayList<>();
        boolean sawTooLong = false;
        for (String read : reads) {
            byte[] bytes = HexFormat.of().parseHex(read);
            int offered = 0;
            while (offered < bytes.length || offered == 0) {
                offered += reader.offer(bytes, offered, bytes.length - offered);
                int n;
                while ((n = reader.next()) >= 0) {
                    out.add(HexFormat.of().formatHex(reader.array(), reader.frameOffset(), reader.frameOffset() + n));
                }
                if (n == FrameReader.TOO_LONG) {
                    sawTooLong = true;
                    break;
                }
                if (bytes.length == 0) break;
            }
            if (sawTooLong) break;
        }
        assertThat(out).isEqualTo(frames);
        assertThat(sawTooLong).isEqualTo(tooLong);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("streams")
    void peekSeesWhatNextTakes(String name, List<String> reads, List<String> frames, boolean tooLong) {
        FrameReader reader = new FrameReader(MAX);
        byte[] all = HexFormat.of().parseHex(String.join("", reads));
        reader.offer(all, 0, all.length);
        int peeked = reader.peek();
        int offset = reader.peekOffset();
        assertThat(reader.next()).isEqualTo(peeked);
        if (peeked >= 0) assertThat(reader.frameOffset()).isEqualTo(offset);
    }

    @org.junit.jupiter.api.Test
    void theBufferNeverHoldsMoreThanTwoMaximalFrames() {
        FrameReader reader = new FrameReader(MAX);
        byte[] lots = new byte[1000];
        assertThat(reader.offer(lots, 0, lots.length)).isEqualTo(2 * (FrameReader.HEADER_LENGTH + MAX));
        assertThat(reader.buffered()).isEqualTo(20);
        assertThat(reader.readTarget().remaining()).isZero();
        assertThat(reader.next()).isZero(); // zero-length frames: each consumes its header
        assertThat(reader.readTarget().remaining()).isEqualTo(2);
    }
}
