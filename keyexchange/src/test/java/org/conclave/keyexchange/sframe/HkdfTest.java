package org.conclave.keyexchange.sframe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.conclave.keyexchange.testing.Hex.bytes;
import static org.conclave.keyexchange.testing.Hex.hex;

import org.junit.jupiter.api.Test;

/** RFC 5869 appendix A test cases 1 and 3 (SHA-256; case 3 has an empty salt, as SFrame uses). */
class HkdfTest {

    @Test
    void rfc5869Case1() {
        byte[] prk = Hkdf.extract("HmacSHA256", bytes("000102030405060708090a0b0c"),
                bytes("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b"));
        assertThat(hex(prk)).isEqualTo("077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5");
        assertThat(hex(Hkdf.expand("HmacSHA256", prk, bytes("f0f1f2f3f4f5f6f7f8f9"), 42))).isEqualTo(
                "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865");
    }

    @Test
    void rfc5869Case3EmptySaltAndInfo() {
        byte[] prk = Hkdf.extract("HmacSHA256", new byte[0], bytes("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b"));
        assertThat(hex(prk)).isEqualTo("19ef24a32c717b167f33a91d6f648bdf96596776afdb6377ac434c1c293ccb04");
        assertThat(hex(Hkdf.expand("HmacSHA256", prk, new byte[0], 42))).isEqualTo(
                "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8");
    }
}
