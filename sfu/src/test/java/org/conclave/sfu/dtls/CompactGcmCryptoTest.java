package org.conclave.sfu.dtls;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.util.Random;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.modes.AEADBlockCipher;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The table-less GCM gives what the JDK's AES-GCM gives, both ways: a DTLS peer sees standard records. */
class CompactGcmCryptoTest {
    @ParameterizedTest(name = "{0}-byte key, {1} bytes, {2} bytes of AAD")
    @CsvSource({"16, 0, 13", "16, 1, 13", "16, 1187, 13", "32, 300, 13", "16, 64, 0"})
    void sealsAndOpensLikeTheJdk(int keyLength, int length, int aadLength) throws Exception {
        Random r = new Random(keyLength * 31L + length * 7L + aadLength);
        byte[] key = bytes(r, keyLength);
        byte[] nonce = bytes(r, 12);
        byte[] aad = bytes(r, aadLength);
        byte[] plain = bytes(r, length);

        Cipher jdk = Cipher.getInstance("AES/GCM/NoPadding");
        jdk.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, nonce));
        jdk.updateAAD(aad);
        byte[] expected = jdk.doFinal(plain);

        AEADBlockCipher gcm = new CompactGcmCrypto(new SecureRandom()).gcm();
        gcm.init(true, new AEADParameters(new KeyParameter(key), 128, nonce, aad));
        byte[] sealed = new byte[gcm.getOutputSize(length)];
        int n = gcm.processBytes(plain, 0, length, sealed, 0);
        gcm.doFinal(sealed, n);
        assertThat(sealed).isEqualTo(expected);

        AEADBlockCipher open = new CompactGcmCrypto(new SecureRandom()).gcm();
        open.init(false, new AEADParameters(new KeyParameter(key), 128, nonce, aad));
        byte[] opened = new byte[open.getOutputSize(expected.length)];
        int m = open.processBytes(expected, 0, expected.length, opened, 0);
        open.doFinal(opened, m);
        assertThat(opened).isEqualTo(plain);
    }

    private static byte[] bytes(Random r, int n) {
        byte[] b = new byte[n];
        r.nextBytes(b);
        return b;
    }
}
