package org.conclave.sfu.dtls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class FingerprintTest {
    private static final String SHA256_HEX =
            "AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89";

    private static String hexOf(int bytes) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < bytes; i++) {
            sb.append(i == 0 ? "" : ":").append(String.format("%02X", i));
        }
        return sb.toString();
    }

    /** Table: SDP value -> expected hash function and hex (upper case). */
    static Stream<Arguments> valid() {
        return Stream.of(
                Arguments.of("sha-256 " + SHA256_HEX, "sha-256", SHA256_HEX),
                Arguments.of("SHA-256 " + SHA256_HEX.toLowerCase(), "sha-256", SHA256_HEX),
                Arguments.of("  sha-256\t  " + SHA256_HEX + "  ", "sha-256", SHA256_HEX),
                Arguments.of("a=fingerprint:sha-256 " + SHA256_HEX, "sha-256", SHA256_HEX),
                Arguments.of("sha-1 " + hexOf(20), "sha-1", hexOf(20)),
                Arguments.of("Sha-224 " + hexOf(28), "sha-224", hexOf(28)),
                Arguments.of("sha-384 " + hexOf(48), "sha-384", hexOf(48)),
                Arguments.of("sha-512 " + hexOf(64).toLowerCase(), "sha-512", hexOf(64)));
    }

    @ParameterizedTest
    @MethodSource("valid")
    void parses(String sdp, String hash, String hex) {
        Fingerprint f = Fingerprint.parse(sdp);
        assertThat(f.hashFunction()).isEqualTo(hash);
        assertThat(f.hex()).isEqualTo(hex);
        assertThat(f.toSdpValue()).isEqualTo(hash + " " + hex);
        assertThat(Fingerprint.parse(f.toSdpValue())).isEqualTo(f);
    }

    /** Table: SDP value -> part of the error message. */
    static Stream<Arguments> invalid() {
        String s = SHA256_HEX;
        return Stream.of(
                Arguments.of(null, "missing"),
                Arguments.of("", "expected '<hash-func> <hex>'"),
                Arguments.of("sha-256", "expected '<hash-func> <hex>'"),
                Arguments.of("md5 " + hexOf(16), "unsupported fingerprint hash function 'md5'"),
                Arguments.of("sha256 " + s, "unsupported fingerprint hash function 'sha256'"),
                Arguments.of("sha-256 " + s.substring(3), "must be 32 colon-separated hex bytes"),
                Arguments.of("sha-256 " + s + ":00", "must be 32"),
                Arguments.of("sha-1 " + s, "must be 20"),
                Arguments.of("sha-256 " + s.replace(':', '-'), "expected ':'"),
                Arguments.of("sha-256 " + "G" + s.substring(1), "not a hex byte"),
                Arguments.of("sha-256 " + s.replace("AB:CD", "AB CD"), "expected ':'"),
                Arguments.of("sha-256 " + "\u0661" + s.substring(1), "not a hex byte"), // Arabic-Indic digit one
                Arguments.of("sha-256 " + s.substring(0, 93) + "+5", "not a hex byte"),
                Arguments.of("sha-256 " + "0".repeat(600), "longer than"));
    }

    @ParameterizedTest
    @MethodSource("invalid")
    void rejects(String sdp, String message) {
        assertThatThrownBy(() -> Fingerprint.parse(sdp))
                .isInstanceOf(FingerprintFormatException.class).hasMessageContaining(message);
    }

    @Test
    void computesAndMatchesWithEachHash() throws Exception {
        byte[] der = DtlsCertificate.generate().derEncoded();
        for (String h : new String[] {"sha-1", "sha-224", "sha-256", "sha-384", "sha-512"}) {
            Fingerprint f = Fingerprint.of(h, der);
            assertThat(f.digest()).isEqualTo(MessageDigest.getInstance(h.toUpperCase()).digest(der));
            assertThat(f.matches(der)).isTrue();
            byte[] other = der.clone();
            other[other.length - 1] ^= 1;
            assertThat(f.matches(other)).isFalse();
            assertThat(Fingerprint.parse(f.toSdpValue()).matches(der)).isTrue();
        }
    }

    @Test
    void hexIsUpperCaseColonSeparated() {
        assertThat(Fingerprint.toHex(HexFormat.of().parseHex("00ff0aa0"))).isEqualTo("00:FF:0A:A0");
        assertThat(Fingerprint.toHex(new byte[0])).isEmpty();
    }
}
