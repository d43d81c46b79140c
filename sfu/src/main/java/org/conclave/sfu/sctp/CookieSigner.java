package org.conclave.sfu.sctp;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs and checks State Cookies (RFC 9260 §5.1.3) with HMAC-SHA256 under a secret shared by the associations of one
 * manager (e.g. one SFU process), so a COOKIE-ECHO is only accepted if this process issued its cookie within
 * {@link #LIFETIME_NANOS}. Thread-safe.
 */
public final class CookieSigner {
    /** Valid.Cookie.Life of RFC 9260 §16. */
    public static final long LIFETIME_NANOS = TimeUnit.SECONDS.toNanos(60);
    static final int MAC_LENGTH = 32;
    private static final String ALGORITHM = "HmacSHA256";

    private final SecretKeySpec key;

    public CookieSigner(byte[] secret) {
        if (secret.length < MAC_LENGTH) throw new IllegalArgumentException("cookie secret shorter than 32 bytes");
        this.key = new SecretKeySpec(secret.clone(), ALGORITHM);
    }

    /** A signer with a fresh random secret. */
    public static CookieSigner random() {
        byte[] secret = new byte[MAC_LENGTH];
        new SecureRandom().nextBytes(secret);
        return new CookieSigner(secret);
    }

    byte[] mac(byte[] b, int off, int len) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            mac.update(b, off, len);
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    boolean verify(byte[] b, int off, int len, byte[] expectedMac) {
        return MessageDigest.isEqual(mac(b, off, len), expectedMac);
    }
}
