package org.conclave.keyexchange.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class MediaKeyTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"0, 1", "7, 8", "254, 255", "255, 0"})
    void indexWraps(int index, int next) {
        assertThat(MediaKey.nextIndex(index)).isEqualTo(next);
    }

    @Test
    void randomKeysAre32BytesAndDistinctAndKidIsIndex() {
        SecureRandom random = new SecureRandom();
        MediaKey a = MediaKey.random(9, random);
        MediaKey b = MediaKey.random(9, random);
        assertThat(a.key()).hasSize(32);
        assertThat(a).isNotEqualTo(b);
        assertThat(a.kid()).isEqualTo(9);
        assertThat(new MediaKey(9, a.key())).isEqualTo(a).hasSameHashCodeAs(a);
        assertThat(a.toString()).doesNotContain(java.util.HexFormat.of().formatHex(a.key()));
    }

    @Test
    void keyBytesCannotBeChangedFromOutside() {
        byte[] bytes = new byte[32];
        MediaKey k = new MediaKey(0, bytes);
        bytes[0] = 1;
        k.key()[1] = 1;
        assertThat(k.key()).containsOnly(0);
    }

    @ParameterizedTest(name = "index {0}, {1} bytes")
    @CsvSource({"-1, 32", "256, 32", "0, 15", "0, 65"})
    void rejectsOutOfRange(int index, int length) {
        assertThatThrownBy(() -> new MediaKey(index, new byte[length])).isInstanceOf(IllegalArgumentException.class);
    }
}
