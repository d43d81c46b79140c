package org.conclave.keyexchange.sframe;

import java.security.GeneralSecurityException;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/** AES-GCM with a 128-bit tag (suites 0x0004 and 0x0005) on JCE. */
final class GcmAead implements Aead {
    private static final int TAG_BITS = 128;

    private final SecretKeySpec key;
    private final Cipher cipher;

    GcmAead(CipherSuite suite, byte[] key) {
        if (key.length != suite.keyLength()) {
            throw new IllegalArgumentException("AES-GCM key must be " + suite.keyLength() + " bytes");
        }
        this.key = new SecretKeySpec(key, "AES");
        try {
            this.cipher = Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("JCE lacks AES/GCM", e);
        }
    }

    @Override
    public int seal(byte[] nonce, byte[] aad1, int aad1Off, int aad1Len, byte[] aad2, int aad2Off, int aad2Len,
                    byte[] in, int inOff, int inLen, byte[] out, int outOff) {
        try {
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(aad1, aad1Off, aad1Len);
            cipher.updateAAD(aad2, aad2Off, aad2Len);
            return cipher.doFinal(in, inOff, inLen, out, outOff);
        } catch (GeneralSecurityException e) {
            // Only a nonce reused back to back can get here, which SFrameSender's counter rules out.
            throw new IllegalStateException("AES-GCM encryption failed", e);
        }
    }

    @Override
    public int open(byte[] nonce, byte[] aad1, int aad1Off, int aad1Len, byte[] aad2, int aad2Off, int aad2Len,
                    byte[] in, int inOff, int inLen, byte[] out, int outOff) {
        try {
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(aad1, aad1Off, aad1Len);
            cipher.updateAAD(aad2, aad2Off, aad2Len);
            return cipher.doFinal(in, inOff, inLen, out, outOff);
        } catch (AEADBadTagException e) {
            return -1;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM decryption failed", e);
        }
    }
}
