package org.conclave.appservice.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Locale;

/**
 * Checks the homeserver's credentials on AS API requests: {@code Authorization: Bearer <hs_token>} (spec v1.4+) or the
 * legacy {@code ?access_token=<hs_token>}. When both are sent, both must match. Comparison is constant-time (SHA-256 of
 * both sides, then {@link MessageDigest#isEqual}), so neither content nor length leaks through timing.
 */
public final class HsTokenAuth {
    public enum Result { OK, MISSING, WRONG }

    private static final String BEARER = "bearer ";

    private final byte[] expectedHash;

    public HsTokenAuth(String hsToken) {
        if (hsToken == null || hsToken.isEmpty()) throw new IllegalArgumentException("hs_token is empty");
        this.expectedHash = sha256(hsToken);
    }

    /**
     * @param authorization every {@code Authorization} header value sent
     * @param accessTokens every {@code access_token} query value sent
     */
    public Result check(List<String> authorization, List<String> accessTokens) {
        int presented = 0;
        boolean allMatch = true;
        for (String header : authorization) {
            // Only Bearer carries the hs_token; an empty Bearer (sent by some homeservers next to the query
            // parameter) counts as absent.
            if (header.length() < BEARER.length()
                    || !header.substring(0, BEARER.length()).toLowerCase(Locale.ROOT).equals(BEARER)) {
                continue;
            }
            String token = header.substring(BEARER.length()).strip();
            if (token.isEmpty()) continue;
            presented++;
            allMatch &= matches(token);
        }
        for (String token : accessTokens) {
            if (token.isEmpty()) continue;
            presented++;
            allMatch &= matches(token);
        }
        if (presented == 0) return Result.MISSING;
        return allMatch ? Result.OK : Result.WRONG;
    }

    private boolean matches(String token) {
        return MessageDigest.isEqual(expectedHash, sha256(token));
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
