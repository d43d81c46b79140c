package org.conclave.tests.e2ee;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlaintextSearchTest {
    private static final String A = "00112233445566778899aabbccddeeff";
    private static final String B = "0011223344556677ffeeddccbbaa9988"; // same 8-byte prefix as A

    private static byte[] hex(String h) {
        return HexFormat.of().parseHex(h);
    }

    @Test
    void findsSamplesAnywhereIncludingAtTheEdges() {
        PlaintextSearch search = new PlaintextSearch(List.of(A, B));
        assertThat(search.foundIn(List.of(hex("ff" + A + "ee")))).containsExactly(A);
        assertThat(search.foundIn(List.of(hex(B)))).containsExactly(B);
        assertThat(search.foundIn(List.of(hex("01"), hex("02" + B), hex(A)))).containsExactlyInAnyOrder(A, B);
    }

    @Test
    void aPrefixOrAPartialSampleIsNotAFind() {
        PlaintextSearch search = new PlaintextSearch(List.of(A));
        assertThat(search.foundIn(List.of(hex(A.substring(0, 30))))).isEmpty(); // cut at the end
        assertThat(search.foundIn(List.of(hex(B)))).isEmpty(); // shares the prefix only
        assertThat(search.foundIn(List.of(new byte[0]))).isEmpty();
    }

    @Test
    void duplicateSamplesCountOnceAndShortOnesAreRefused() {
        assertThat(new PlaintextSearch(List.of(A, A)).sampleCount()).isEqualTo(1);
        assertThatThrownBy(() -> new PlaintextSearch(List.of("0011"))).isInstanceOf(IllegalArgumentException.class);
    }
}
