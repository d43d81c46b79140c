package org.conclave.keyexchange.sframe;

import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-128-CTR with a truncated HMAC-SHA256 tag, RFC 9605 §4.5.1 (suites 0x0001-0x0003). The 48-byte key splits into
 * enc_key (first 16 bytes) and auth_key (last 32); the counter block is nonce || 0x00000000; the tag is
 * HMAC(auth_key, len(aad) || len(ct) || Nt (each 8 bytes BE) || nonce || aad || ct) truncated to Nt bytes.
 */
final class CtrHmacAead implements Aead {
    private static final int COUNTER_BLOCK = 16;

    private final int tagLength;
    private final SecretKeySpec encKey;
    private final Cipher cipher;
    private final Mac mac;
    private final byte[] counterBlock = new byte[COUNTER_BLOCK];
    private final byte[] lengths = new byte[24];
    private final byte[] expected;
    private final byte[] fullTag;

    CtrHmacAead(CipherSuite suite, byte[] key) {
        if (key.length != suite.keyLength()) {
            throw new IllegalArgumentException("AES-CTR+HMAC key must be " + suite.keyLength() + " bytes");
        }
        this.tagLength = suite.tagLength();
        this.expected = new byte[tagLength];
        this.encKey = new SecretKeySpec(key, 0, CipherSuite.CTR_ENC_KEY_LENGTH, "AES");
        try {
            this.cipher = Cipher.getInstance("AES/CTR/NoPadding");
            this.mac = Mac.getInstance(suite.hmacAlgorithm());
            mac.init(new SecretKeySpec(key, CipherSuite.CTR_ENC_KEY_LENGTH,
                    key.length - CipherSuite.CTR_ENC_KEY_LENGTH, suite.hmacAlgorithm()));
            this.fullTag = new byte[mac.getMacLength()];
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("JCE lacks AES/CTR or " + suite.hmacAlgorithm(), e);
        }
    }

    @Override
    public int seal(byte[] nonce, byte[] aad1, int aad1Off, int aad1Len, byte[] aad2, int aad2Off, int aad2Len,
                    byte[] in, int inOff, int inLen, byte[] out, int outOff) {
        ctr(nonce, in, inOff, inLen, out, outOff);
        tag(nonce, aad1, aad1Off, aad1Len, aad2, aad2Off, aad2Len, out, outOff, inLen, out, outOff + inLen);
        return inLen + tagLength;
    }

    @Override
    public int open(byte[] nonce, byte[] aad1, int aad1Off, int aad1Len, byte[] aad2, int aad2Off, int aad2Len,
                    byte[] in, int inOff, int inLen, byte[] out, int outOff) {
        int ctLen = inLen - tagLength;
        tag(nonce, aad1, aad1Off, aad1Len, aad2, aad2Off, aad2Len, in, inOff, ctLen, expected, 0);
        if (!equalInConstantTime(expected, in, inOff + ctLen)) {
            return -1;
        }
        ctr(nonce, in, inOff, ctLen, out, outOff);
        return ctLen;
    }

    private void ctr(byte[] nonce, byte[] in, int inOff, int inLen, byte[] out, int outOff) {
        System.arraycopy(nonce, 0, counterBlock, 0, nonce.length);
        Arrays.fill(counterBlock, nonce.length, COUNTER_BLOCK, (byte) 0);
        try {
            cipher.init(Cipher.ENCRYPT_MODE, encKey, new IvParameterSpec(counterBlock));
            cipher.doFinal(in, inOff, inLen, out, outOff);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-CTR failed", e);
        }
    }

    private void tag(byte[] nonce, byte[] aad1, int aad1Off, int aad1Len, byte[] aad2, int aad2Off, int aad2Len,
                     byte[] ct, int ctOff, int ctLen, byte[] out, int outOff) {
        putLong(lengths, 0, (long) aad1Len + aad2Len);
        putLong(lengths, 8, ctLen);
        putLong(lengths, 16, tagLength);
        mac.update(lengths);
        mac.update(nonce);
        mac.update(aad1, aad1Off, aad1Len);
        mac.update(aad2, aad2Off, aad2Len);
        mac.update(ct, ctOff, ctLen);
        try {
            mac.doFinal(fullTag, 0);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC failed", e);
        }
        System.arraycopy(fullTag, 0, out, outOff, tagLength);
    }

    private boolean equalInConstantTime(byte[] tag, byte[] in, int off) {
        int diff = 0;
        for (int i = 0; i < tagLength; i++) {
            diff |= tag[i] ^ in[off + i];
        }
        return diff == 0;
    }

    private static void putLong(byte[] b, int off, long v) {
        for (int i = 0; i < Long.BYTES; i++) {
            b[off + i] = (byte) (v >>> (8 * (Long.BYTES - 1 - i)));
        }
    }
}
