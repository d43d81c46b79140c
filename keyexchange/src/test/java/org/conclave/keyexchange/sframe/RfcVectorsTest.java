package org.conclave.keyexchange.sframe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.conclave.keyexchange.testing.Hex.bytes;
import static org.conclave.keyexchange.testing.Hex.hex;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.stream.Stream;
import org.conclave.keyexchange.testing.Vectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every vector of the RFC 9605 test-vector file (sections header, aes_ctr_hmac, sframe). */
class RfcVectorsTest {

    static Stream<Arguments> header() {
        return named(Vectors.section("header"), v -> v.get("kid").asText() + "/" + v.get("ctr").asText());
    }

    static Stream<Arguments> aesCtrHmac() {
        return named(Vectors.section("aes_ctr_hmac"), v -> "suite " + v.get("cipher_suite").asInt());
    }

    static Stream<Arguments> sframe() {
        return named(Vectors.section("sframe"), v -> "suite " + v.get("cipher_suite").asInt());
    }

    @Test
    void fileHasEverySection() {
        assertThat(Vectors.section("header")).hasSize(289);
        assertThat(Vectors.section("aes_ctr_hmac")).hasSize(3);
        assertThat(Vectors.section("sframe")).hasSize(5);
    }

    @ParameterizedTest
    @MethodSource
    void header(JsonNode v) throws SFrameException {
        long kid = Vectors.unsigned(v.get("kid"));
        long ctr = Vectors.unsigned(v.get("ctr"));
        byte[] encoded = bytes(v.get("encoded").asText());

        assertThat(hex(SFrameHeader.encode(kid, ctr))).isEqualTo(v.get("encoded").asText());
        assertThat(SFrameHeader.encodedLength(kid, ctr)).isEqualTo(encoded.length);
        assertThat(SFrameHeader.decode(encoded, 0, encoded.length)).isEqualTo(new SFrameHeader(kid, ctr, encoded.length));
        if (encoded.length > 1) {
            assertThatThrownBy(() -> SFrameHeader.decode(encoded, 0, encoded.length - 1))
                    .isInstanceOf(SFrameException.Syntax.class);
        }
    }

    @ParameterizedTest
    @MethodSource
    void aesCtrHmac(JsonNode v) {
        CipherSuite suite = CipherSuite.fromId(v.get("cipher_suite").asInt());
        byte[] key = bytes(v.get("key").asText());
        assertThat(hex(java.util.Arrays.copyOf(key, 16))).isEqualTo(v.get("enc_key").asText());
        assertThat(hex(java.util.Arrays.copyOfRange(key, 16, key.length))).isEqualTo(v.get("auth_key").asText());
        byte[] nonce = bytes(v.get("nonce").asText());
        byte[] aad = bytes(v.get("aad").asText());
        byte[] pt = bytes(v.get("pt").asText());
        byte[] ct = bytes(v.get("ct").asText());
        Aead aead = Aead.create(suite, key);

        byte[] sealed = new byte[pt.length + suite.tagLength()];
        int n = aead.seal(nonce, aad, 0, aad.length, new byte[0], 0, 0, pt, 0, pt.length, sealed, 0);
        assertThat(n).isEqualTo(ct.length);
        assertThat(hex(sealed)).isEqualTo(v.get("ct").asText());

        byte[] opened = new byte[ct.length];
        // The AAD split differently must give the same tag: it is one byte string.
        int m = aead.open(nonce, aad, 0, 3, aad, 3, aad.length - 3, ct, 0, ct.length, opened, 0);
        assertThat(m).isEqualTo(pt.length);
        assertThat(hex(java.util.Arrays.copyOf(opened, m))).isEqualTo(v.get("pt").asText());

        ct[ct.length - 1] ^= 1;
        assertThat(aead.open(nonce, aad, 0, aad.length, new byte[0], 0, 0, ct, 0, ct.length, opened, 0)).isEqualTo(-1);
    }

    @ParameterizedTest
    @MethodSource
    void sframe(JsonNode v) throws SFrameException {
        CipherSuite suite = CipherSuite.fromId(v.get("cipher_suite").asInt());
        long kid = v.get("kid").asLong();
        long ctr = v.get("ctr").asLong();
        byte[] baseKey = bytes(v.get("base_key").asText());
        byte[] metadata = bytes(v.get("metadata").asText());
        byte[] pt = bytes(v.get("pt").asText());

        assertThat(hex(FrameKey.keyLabel(suite, kid))).isEqualTo(v.get("sframe_key_label").asText());
        assertThat(hex(FrameKey.saltLabel(suite, kid))).isEqualTo(v.get("sframe_salt_label").asText());
        assertThat(hex(FrameKey.secret(suite, baseKey))).isEqualTo(v.get("sframe_secret").asText());
        FrameKey key = FrameKey.derive(suite, kid, baseKey);
        assertThat(hex(key.key())).isEqualTo(v.get("sframe_key").asText());
        assertThat(hex(key.salt())).isEqualTo(v.get("sframe_salt").asText());
        byte[] nonce = new byte[12];
        key.nonce(ctr, nonce);
        assertThat(hex(nonce)).isEqualTo(v.get("nonce").asText());
        byte[] header = SFrameHeader.encode(kid, ctr);
        assertThat(hex(header) + hex(metadata)).isEqualTo(v.get("aad").asText());

        SFrameSender sender = new SFrameSender(suite);
        sender.useKey(kid, baseKey);
        byte[] out = new byte[pt.length + sender.maxOverhead()];
        int n = sender.encryptAt(ctr, pt, 0, pt.length, metadata, 0, metadata.length, out, 0);
        assertThat(hex(java.util.Arrays.copyOf(out, n))).isEqualTo(v.get("ct").asText());

        SFrameReceiver receiver = new SFrameReceiver(suite);
        receiver.addKey(kid, baseKey);
        assertThat(hex(receiver.decrypt(bytes(v.get("ct").asText()), metadata))).isEqualTo(v.get("pt").asText());
    }

    private static Stream<Arguments> named(List<JsonNode> vectors, java.util.function.Function<JsonNode, String> name) {
        return vectors.stream().map(v -> Arguments.of(Named.of(name.apply(v), v)));
    }
}
