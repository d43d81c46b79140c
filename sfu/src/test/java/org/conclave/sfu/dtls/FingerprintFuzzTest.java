package org.conclave.sfu.dtls;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;

/** Arbitrary strings into {@link Fingerprint#parse}: only {@link FingerprintFormatException}, and round-trips. */
class FingerprintFuzzTest {

    @FuzzTest(maxDuration = "30s")
    void parse(String value) {
        Fingerprint f;
        try {
            f = Fingerprint.parse(value);
        } catch (FingerprintFormatException e) {
            return;
        }
        assertThat(Fingerprint.parse(f.toSdpValue())).isEqualTo(f);
        assertThat(f.digest().length * 3 - 1).isEqualTo(f.hex().length());
    }
}
