package org.conclave.keyexchange.frame;

import static org.assertj.core.api.Assertions.assertThat;
import static org.conclave.keyexchange.testing.Hex.bytes;
import static org.conclave.keyexchange.testing.Hex.hex;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EmulationPreventionTest {

    @ParameterizedTest(name = "{0} after {1} zeros -> {2}")
    @CsvSource({
            "'00 00 01', 0, '00 00 03 01'",
            "'00 00 00 00', 0, '00 00 03 00 00'",
            "'00 00 03', 0, '00 00 03 03'",
            "'00 00 04', 0, '00 00 04'",
            "'00 01', 1, '00 03 01'",       // the prefix ended in one zero
            "'01', 2, '03 01'",
            "'11 22', 2, '11 22'",
            "'', 2, ''",
    })
    void table(String in, int priorZeros, String escaped) {
        byte[] b = bytes(in);
        byte[] out = new byte[EmulationPrevention.maxEscapedLength(b.length)];
        int n = EmulationPrevention.escape(b, 0, b.length, priorZeros, out, 0);
        assertThat(hex(Arrays.copyOf(out, n))).isEqualTo(escaped.replace(" ", ""));
        byte[] back = new byte[n];
        int m = EmulationPrevention.unescape(out, 0, n, priorZeros, back, 0);
        assertThat(hex(Arrays.copyOf(back, m))).isEqualTo(in.replace(" ", ""));
    }

    @Test
    void randomRoundTripsLeaveNoStartCode() {
        Random random = new Random(42);
        for (int round = 0; round < 2000; round++) {
            byte[] in = new byte[random.nextInt(64)];
            for (int i = 0; i < in.length; i++) {
                in[i] = (byte) (random.nextInt(3) == 0 ? random.nextInt(5) : random.nextInt(256)); // many 00..04
            }
            int prior = random.nextInt(3);
            byte[] out = new byte[EmulationPrevention.maxEscapedLength(in.length)];
            int n = EmulationPrevention.escape(in, 0, in.length, prior, out, 0);
            byte[] withPrior = new byte[prior + n];
            System.arraycopy(out, 0, withPrior, prior, n);
            assertThat(hex(withPrior)).doesNotContainPattern("^(..)*0000(00|01|02)");
            byte[] back = new byte[n];
            int m = EmulationPrevention.unescape(out, 0, n, prior, back, 0);
            assertThat(Arrays.copyOf(back, m)).isEqualTo(in);
        }
    }

    @ParameterizedTest
    @CsvSource({"'', 0", "'01', 0", "'00', 1", "'01 00 00', 2", "'00 00 00', 2"})
    void trailingZeros(String hex, int zeros) {
        byte[] b = bytes(hex);
        assertThat(EmulationPrevention.trailingZeros(b, 0, b.length)).isEqualTo(zeros);
    }
}
