package org.conclave.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Table tests of the probe every generated payload starts with. */
class ProbePayloadTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            // case, bytes (hex), expected track (-1 = not a probe)
            "track 0, 53464231 00000000 0000000000000001 0000000000000002, 0",
            "track 7 with filler after it, 53464231 00000007 0000000000000001 0000000000000002 FFFF, 7",
            "largest track, 53464231 7FFFFFFF 0000000000000000 0000000000000000, 2147483647",
            "negative track, 53464231 80000000 0000000000000000 0000000000000000, -1",
            "wrong magic, 53464232 00000001 0000000000000000 0000000000000000, -1",
            "one byte short, 53464231 00000001 0000000000000000 00000000000000, -1",
            "empty, '', -1",
    })
    void recognisesProbes(String name, String hex, int track) {
        byte[] b = HexFormat.of().parseHex(hex.replace(" ", ""));
        assertThat(ProbePayload.track(b, 0, b.length)).isEqualTo(track);
    }

    @Test
    void writtenProbeReadsBackAtAnOffset() {
        byte[] b = new byte[64];
        ProbePayload.write(b, 12, 42, 1_000_000_007L, -5L);
        assertThat(ProbePayload.track(b, 12, 30)).isEqualTo(42);
        assertThat(ProbePayload.sequence(b, 12)).isEqualTo(1_000_000_007L);
        assertThat(ProbePayload.sentNanos(b, 12)).isEqualTo(-5L);
        assertThat(ProbePayload.track(b, 12, ProbePayload.LENGTH - 1)).isEqualTo(ProbePayload.NOT_A_PROBE);
    }

    @Test
    void rangeOutsideTheArrayIsACallerBug() {
        byte[] b = new byte[30];
        assertThatThrownBy(() -> ProbePayload.track(b, 10, 24)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> ProbePayload.write(b, 10, 1, 1, 1)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> ProbePayload.write(new byte[24], 0, -1, 1, 1)).isInstanceOf(IllegalArgumentException.class);
    }
}
