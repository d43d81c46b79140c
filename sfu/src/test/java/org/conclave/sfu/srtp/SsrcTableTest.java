package org.conclave.sfu.srtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SsrcTableTest {

    @Test
    void storesAndFindsIncludingZeroAndNegativeSsrcs() {
        SsrcTable<String> t = new SsrcTable<>(8);
        int[] keys = {0, -1, 1, Integer.MIN_VALUE, Integer.MAX_VALUE, 0xCAFEBABE, 16, 32};
        for (int k : keys) {
            assertThat(t.put(k, "v" + k)).isTrue();
        }
        for (int k : keys) {
            assertThat(t.get(k)).isEqualTo("v" + k);
        }
        assertThat(t.get(2)).isNull();
        assertThat(t.size()).isEqualTo(8);
        assertThat(t.isFull()).isTrue();
        assertThat(t.put(3, "x")).isFalse();
        assertThat(t.get(3)).isNull();
    }

    @Test
    void collidingKeysAreAllReachable() {
        SsrcTable<Integer> t = new SsrcTable<>(64);
        for (int i = 0; i < 64; i++) {
            assertThat(t.put(i << 20, i)).isTrue(); // low bits equal: stresses probing
        }
        for (int i = 0; i < 64; i++) {
            assertThat(t.get(i << 20)).isEqualTo(i);
        }
        assertThat(t.get(64 << 20)).isNull();
    }

    @Test
    void duplicateKeyIsABug() {
        SsrcTable<String> t = new SsrcTable<>(4);
        t.put(7, "a");
        assertThatThrownBy(() -> t.put(7, "b")).isInstanceOf(IllegalStateException.class);
    }
}
