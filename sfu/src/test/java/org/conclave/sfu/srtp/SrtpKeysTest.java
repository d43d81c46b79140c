package org.conclave.sfu.srtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SrtpKeysTest {

    /** Table: profile -> [clientKey, serverKey, clientSalt, serverSalt] as offsets into material 0,1,2,... */
    static Stream<Arguments> layouts() {
        return Stream.of(
                Arguments.of(SrtpProfile.AEAD_AES_128_GCM, 0, 16, 32, 44),
                Arguments.of(SrtpProfile.AES_CM_128_HMAC_SHA1_80, 0, 16, 32, 46));
    }

    @ParameterizedTest
    @MethodSource("layouts")
    void splitsAsRfc5764Section4_2(SrtpProfile p, int ck, int sk, int cs, int ss) {
        byte[] material = new byte[p.keyingMaterialLength()];
        for (int i = 0; i < material.length; i++) {
            material[i] = (byte) i;
        }
        SrtpKeys keys = SrtpKeys.fromKeyingMaterial(p, material);
        assertThat(keys.clientWriteKey()).isEqualTo(run(ck, p.keyLength()));
        assertThat(keys.serverWriteKey()).isEqualTo(run(sk, p.keyLength()));
        assertThat(keys.clientWriteSalt()).isEqualTo(run(cs, p.saltLength()));
        assertThat(keys.serverWriteSalt()).isEqualTo(run(ss, p.saltLength()));
        assertThat(keys.fits(p)).isTrue();
    }

    @Test
    void wrongLengthIsRefused() {
        assertThatThrownBy(() -> SrtpKeys.fromKeyingMaterial(SrtpProfile.AEAD_AES_128_GCM, new byte[60]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("56");
    }

    @Test
    void holdersCannotChangeTheKeysAndToStringHidesThem() {
        byte[] material = new byte[56];
        material[0] = 42;
        SrtpKeys keys = SrtpKeys.fromKeyingMaterial(SrtpProfile.AEAD_AES_128_GCM, material);
        keys.clientWriteKey()[0] = 0;
        assertThat(keys.clientWriteKey()[0]).isEqualTo((byte) 42);
        assertThat(keys).isEqualTo(SrtpKeys.fromKeyingMaterial(SrtpProfile.AEAD_AES_128_GCM, material.clone()));
        assertThat(keys.toString()).doesNotContain("42").contains("redacted");
    }

    private static byte[] run(int from, int len) {
        byte[] b = new byte[len];
        for (int i = 0; i < len; i++) {
            b[i] = (byte) (from + i);
        }
        return b;
    }
}
