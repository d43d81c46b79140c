package org.conclave.keyexchange.sframe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class SenderKeyRatchetTest {
    private static final byte[] KEY = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    @ParameterizedTest(name = "gen {0} step {1} R {2} -> {3}")
    @CsvSource({"0, 0, 0, 0", "5, 0, 0, 5", "1, 3, 4, 19", "1, 17, 4, 17", "2, 255, 8, 767", "0, 256, 8, 0"})
    void kidCarriesGenerationAndLowStepBits(long generation, long step, int bits, long kid) {
        assertThat(SenderKeyRatchet.kid(generation, step, bits)).isEqualTo(kid);
        assertThat(SenderKeyRatchet.generationOf(kid, bits)).isEqualTo(generation);
    }

    @ParameterizedTest
    @EnumSource(CipherSuite.class)
    void stepIsHkdfExpandOfExtractWithTheRatchetLabel(CipherSuite suite) {
        byte[] expected = Hkdf.expand(suite.hmacAlgorithm(), Hkdf.extract(suite.hmacAlgorithm(), new byte[0], KEY),
                "SFrame 1.0 Ratchet".getBytes(StandardCharsets.US_ASCII), suite.hashLength());
        assertThat(SenderKeyRatchet.next(suite, KEY)).isEqualTo(expected).hasSize(suite.hashLength());
    }

    @Test
    void receiverFollowsTheSenderForwardAndOldKeysCannotReadNewFrames() throws SFrameException {
        CipherSuite suite = CipherSuite.AES_128_GCM_SHA256_128;
        SenderKeyRatchet senderSide = new SenderKeyRatchet(suite, 4, 2, KEY);
        SenderKeyRatchet receiverSide = new SenderKeyRatchet(suite, 4, 2, KEY);
        SFrameSender sender = new SFrameSender(suite);
        SFrameReceiver receiver = new SFrameReceiver(suite);
        byte[] frame = {1, 2, 3};
        for (int step = 0; step < 40; step += 3) {
            sender.useKey(senderSide.kid(), senderSide.baseKey());
            byte[] ct = sender.encrypt(frame, new byte[0]);
            long kid = SFrameHeader.decode(ct, 0, ct.length).kid();
            assertThat(kid).isEqualTo(32 + step % 16);
            assertThat(receiverSide.advanceTo(kid)).isTrue();
            assertThat(receiverSide.step()).isEqualTo(step);
            receiver.addKey(kid, receiverSide.baseKey());
            assertThat(receiver.decrypt(ct, new byte[0])).isEqualTo(frame);
            for (int i = 0; i < 3; i++) {
                senderSide.advance();
            }
        }
        // A receiver that only knows step 0's key cannot skip to frames of another generation.
        assertThat(new SenderKeyRatchet(suite, 4, 2, KEY).advanceTo(SenderKeyRatchet.kid(3, 0, 4))).isFalse();
    }

    @Test
    void stepsProduceDistinctKeys() {
        SenderKeyRatchet r = new SenderKeyRatchet(CipherSuite.AES_128_CTR_HMAC_SHA256_32, 2, 0, KEY);
        byte[] k0 = r.baseKey();
        r.advance();
        byte[] k1 = r.baseKey();
        r.advance();
        assertThat(k1).isNotEqualTo(k0);
        assertThat(r.baseKey()).isNotEqualTo(k1).isEqualTo(SenderKeyRatchet.next(CipherSuite.AES_128_CTR_HMAC_SHA256_32, k1));
    }

    @Test
    void rejectsOversizedParameters() {
        assertThatThrownBy(() -> new SenderKeyRatchet(CipherSuite.DEFAULT, 17, 0, KEY))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SenderKeyRatchet(CipherSuite.DEFAULT, 8, 1L << 57, KEY))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
