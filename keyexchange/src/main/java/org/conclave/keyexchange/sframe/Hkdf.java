package org.conclave.keyexchange.sframe;

import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** HKDF (RFC 5869) on JCE HMAC. */
public final class Hkdf {
    private Hkdf() {
    }

    /**
     * HKDF-Extract. An empty salt is replaced by HashLen zero bytes, which RFC 5869 defines as the same thing (HMAC pads
     * short keys with zeros) and which JCE accepts (it rejects empty keys).
     */
    public static byte[] extract(String hmacAlgorithm, byte[] salt, byte[] ikm) {
        try {
            Mac mac = Mac.getInstance(hmacAlgorithm);
            byte[] key = salt.length == 0 ? new byte[mac.getMacLength()] : salt;
            mac.init(new SecretKeySpec(key, hmacAlgorithm));
            return mac.doFinal(ikm);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("JCE lacks " + hmacAlgorithm, e);
        }
    }

    /** HKDF-Expand to {@code length} bytes (at most 255 hash blocks). */
    public static byte[] expand(String hmacAlgorithm, byte[] prk, byte[] info, int length) {
        try {
            Mac mac = Mac.getInstance(hmacAlgorithm);
            mac.init(new SecretKeySpec(prk, hmacAlgorithm));
            int hashLength = mac.getMacLength();
            if (length < 0 || length > 255 * hashLength) {
                throw new IllegalArgumentException("HKDF-Expand length out of range: " + length);
            }
            byte[] out = new byte[length];
            byte[] block = new byte[0];
            for (int i = 1, pos = 0; pos < length; i++) {
                mac.update(block);
                mac.update(info);
                mac.update((byte) i);
                block = mac.doFinal();
                int n = Math.min(hashLength, length - pos);
                System.arraycopy(block, 0, out, pos, n);
                pos += n;
            }
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("JCE lacks " + hmacAlgorithm, e);
        }
    }
}
