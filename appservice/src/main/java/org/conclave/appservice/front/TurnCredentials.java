package org.conclave.appservice.front;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Time-limited TURN credentials of the shared-secret REST scheme (coturn's {@code use-auth-secret}, as Synapse's
 * {@code turn_shared_secret}): username {@code <expiry unix seconds>:<user id>}, password
 * {@code base64(HMAC-SHA1(secret, username))}. The TURN server recomputes the password and checks the expiry; nothing
 * is stored anywhere.
 *
 * @param ttlSeconds how long they stay valid from now
 */
public record TurnCredentials(String username, String password, List<String> uris, long ttlSeconds) {
    public static TurnCredentials mint(String sharedSecret, String userId, long nowSeconds, long ttlSeconds,
            List<String> uris) {
        String username = (nowSeconds + ttlSeconds) + ":" + userId;
        return new TurnCredentials(username, password(sharedSecret, username), List.copyOf(uris), ttlSeconds);
    }

    static String password(String sharedSecret, String username) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(sharedSecret.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            return Base64.getEncoder().encodeToString(mac.doFinal(username.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java runtime has HmacSHA1", e);
        }
    }

    @Override
    public String toString() {
        return "TurnCredentials[username=" + username + ", password=***, uris=" + uris + ", ttl=" + ttlSeconds + "]";
    }
}
