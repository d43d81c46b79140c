package org.conclave.keyexchange.sframe;

import java.nio.charset.StandardCharsets;

/**
 * The key and salt SFrame derives for one KID (RFC 9605 §4.4.2):
 * <pre>
 * secret = HKDF-Extract("", base_key)
 * key    = HKDF-Expand(secret, "SFrame 1.0 Secret key "  + KID (8 bytes BE) + suite (2 bytes BE), Nk)
 * salt   = HKDF-Expand(secret, "SFrame 1.0 Secret salt " + KID (8 bytes BE) + suite (2 bytes BE), Nn)
 * </pre>
 */
public record FrameKey(CipherSuite suite, long kid, byte[] key, byte[] salt) {
    private static final byte[] KEY_LABEL = "SFrame 1.0 Secret key ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SALT_LABEL = "SFrame 1.0 Secret salt ".getBytes(StandardCharsets.US_ASCII);

    /** Derives key and salt for {@code kid} from a sender's base key. */
    public static FrameKey derive(CipherSuite suite, long kid, byte[] baseKey) {
        byte[] secret = secret(suite, baseKey);
        byte[] key = Hkdf.expand(suite.hmacAlgorithm(), secret, keyLabel(suite, kid), suite.keyLength());
        byte[] salt = Hkdf.expand(suite.hmacAlgorithm(), secret, saltLabel(suite, kid), suite.nonceLength());
        return new FrameKey(suite, kid, key, salt);
    }

    /** HKDF-Extract("", base_key). */
    public static byte[] secret(CipherSuite suite, byte[] baseKey) {
        return Hkdf.extract(suite.hmacAlgorithm(), new byte[0], baseKey);
    }

    public static byte[] keyLabel(CipherSuite suite, long kid) {
        return label(KEY_LABEL, suite, kid);
    }

    public static byte[] saltLabel(CipherSuite suite, long kid) {
        return label(SALT_LABEL, suite, kid);
    }

    /** Writes the nonce for {@code ctr} (salt XOR CTR, CTR right-aligned big-endian) into {@code out}. */
    public void nonce(long ctr, byte[] out) {
        System.arraycopy(salt, 0, out, 0, salt.length);
        for (int i = 0; i < Long.BYTES; i++) {
            out[salt.length - 1 - i] ^= (byte) (ctr >>> (8 * i));
        }
    }

    private static byte[] label(byte[] prefix, CipherSuite suite, long kid) {
        byte[] out = new byte[prefix.length + Long.BYTES + 2];
        System.arraycopy(prefix, 0, out, 0, prefix.length);
        for (int i = 0; i < Long.BYTES; i++) {
            out[prefix.length + i] = (byte) (kid >>> (8 * (Long.BYTES - 1 - i)));
        }
        out[out.length - 2] = (byte) (suite.id() >> 8);
        out[out.length - 1] = (byte) suite.id();
        return out;
    }
}
