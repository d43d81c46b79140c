package org.conclave.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The E2EE payload layout the generator writes, and finding the probe in what comes back. */
class FramePayloadTest {

    @Test
    void opusHasTocThenSFrameHeaderWithTheCounter() {
        byte[] b = new byte[100];
        int probe = FramePayload.opus(b, 10, 0x01020304L);
        assertThat(HexFormat.of().formatHex(b, 10, probe)).isEqualTo("f8" + "1b" + "01020304");
    }

    @Test
    void vp8FrameStartHasDescriptorDeltaHeaderThenSFrame() {
        byte[] b = new byte[100];
        int probe = FramePayload.vp8FrameStart(b, 0, 7);
        assertThat(HexFormat.of().formatHex(b, 0, probe)).isEqualTo("10" + "310000" + "1b" + "00000007");
        assertThat(FramePayload.vp8Continuation(b, 50)).isEqualTo(51);
        assertThat(b[50]).isZero();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            // case, payload (hex), probe offset (-1 = none)
            "continuation, 00 53464231 00000003 0000000000000001 0000000000000002, 1",
            "opus, f8 1b00000001 53464231 00000003 0000000000000001 0000000000000002 ffff, 6",
            "vp8 frame start, 10 310000 1b00000001 53464231 00000003 0000000000000001 0000000000000002, 9",
            "probe at offset 0 is not a layout we write, 53464231 00000003 0000000000000001 0000000000000002 00, -1",
            "no magic, f8 1b00000001 53464230 00000003 0000000000000001 0000000000000002, -1",
            "truncated probe, 00 53464231 00000003 00000000000000, -1",
            "empty, '', -1",
    })
    void findsTheProbe(String name, String hex, int expected) {
        byte[] b = HexFormat.of().parseHex(hex.replace(" ", ""));
        assertThat(FramePayload.findProbe(b, 0, b.length)).isEqualTo(expected);
    }

    @Test
    void everyWrittenPacketOfAFrameCarriesAFindableProbe() {
        byte[] b = new byte[FramePayload.MIN_PAYLOAD];
        int at = FramePayload.vp8FrameStart(b, 0, 1);
        ProbePayload.write(b, at, 5, 9, 11);
        assertThat(FramePayload.findProbe(b, 0, b.length)).isEqualTo(at);
        at = FramePayload.opus(b, 0, 2);
        ProbePayload.write(b, at, 6, 9, 11);
        assertThat(FramePayload.findProbe(b, 0, b.length)).isEqualTo(at);
    }
}
