package org.conclave.appservice.config;

import java.util.List;
import java.util.regex.Pattern;
import org.conclave.sfu.config.ConfigSection;
import org.conclave.sfu.config.ConfigSource;
import org.conclave.sfu.config.ConfigValidator;

/**
 * Section {@code turn}: the TURN server (coturn with {@code use-auth-secret}) Conclave hands time-limited credentials
 * for to members of a conference (docs/operators.md, "TURN with coturn").
 *
 * @param uris the TURN server's URIs as clients use them ({@code turn:host:3478?transport=udp}, {@code
 *     turns:host:5349?transport=tcp}); empty: no TURN, the credentials endpoint answers 404
 * @param sharedSecret coturn's {@code static-auth-secret}
 * @param credentialLifetimeMs how long handed-out credentials stay valid (coturn also checks them on every allocation
 *     refresh, so a call cannot outlive them)
 * @param maxRequestBytes largest credentials request body read; larger ones get 413 unread
 * @param maxConcurrentRequests credentials requests checked at once (each costs two homeserver requests); more get 429
 */
public record TurnConfig(List<String> uris, String sharedSecret, int credentialLifetimeMs, int maxRequestBytes,
        int maxConcurrentRequests) {
    public static final String SECTION = "turn";
    public static final String URIS = "uris";
    public static final String SHARED_SECRET = "shared_secret";
    public static final String CREDENTIAL_LIFETIME_MS = "credential_lifetime_ms";
    public static final String MAX_REQUEST_BYTES = "max_request_bytes";
    public static final String MAX_CONCURRENT_REQUESTS = "max_concurrent_requests";
    /** A day: long enough for any call (coturn refuses to refresh an allocation with expired credentials). */
    public static final int DEFAULT_CREDENTIAL_LIFETIME_MS = 86_400_000;
    /** A request is a room id and an OpenID token, well under 1 KiB; 16 KiB leaves room for long ids. */
    public static final int DEFAULT_MAX_REQUEST_BYTES = 16 * 1024;
    /**
     * Each request waits on two homeserver requests, so this bounds what a flood of them costs the homeserver;
     * Conclave Web asked beyond it joins without a relay (and fails if it needed one).
     */
    public static final int DEFAULT_MAX_CONCURRENT_REQUESTS = 64;
    public static final int MIN_SECRET_CHARS = 16;
    /** RFC 7064/7065: turn(s)|stun(s) : host [: port] [?transport=udp|tcp]. */
    private static final Pattern URI = Pattern.compile(
            "(turns?|stuns?):(\\[[0-9A-Fa-f:.]+\\]|[A-Za-z0-9.-]+)(:[0-9]{1,5})?(\\?transport=(udp|tcp))?");

    public TurnConfig {
        ConfigValidator v = new ConfigValidator(SECTION);
        if (v.present(URIS, uris)) {
            for (String uri : uris) {
                v.check(uri != null && URI.matcher(uri).matches(), URIS,
                        "entries must be TURN URIs such as turn:turn.example.org:3478?transport=udp", uri);
            }
        }
        if (v.present(SHARED_SECRET, sharedSecret)) {
            v.require(sharedSecret.isEmpty() || sharedSecret.length() >= MIN_SECRET_CHARS, SHARED_SECRET,
                    "must be at least " + MIN_SECRET_CHARS + " characters (coturn's static-auth-secret); the value"
                            + " is not shown");
            v.require(uris == null || uris.isEmpty() || !sharedSecret.isEmpty(), SHARED_SECRET,
                    "must be set (coturn's static-auth-secret) when turn.uris lists a TURN server");
        }
        v.range(CREDENTIAL_LIFETIME_MS, credentialLifetimeMs, 60_000, 604_800_000)
                .range(MAX_REQUEST_BYTES, maxRequestBytes, 1024, 1024 * 1024)
                .range(MAX_CONCURRENT_REQUESTS, maxConcurrentRequests, 1, 10_000);
        v.throwIfInvalid();
        uris = List.copyOf(uris);
    }

    /** The limits at their defaults. */
    public TurnConfig(List<String> uris, String sharedSecret, int credentialLifetimeMs) {
        this(uris, sharedSecret, credentialLifetimeMs, DEFAULT_MAX_REQUEST_BYTES, DEFAULT_MAX_CONCURRENT_REQUESTS);
    }

    public static TurnConfig defaults() {
        return new TurnConfig(List.of(), "", DEFAULT_CREDENTIAL_LIFETIME_MS);
    }

    public static TurnConfig read(ConfigSource source) {
        ConfigSection s = source.section(SECTION);
        List<String> uris = s.stringList(URIS, List.of());
        String secret = s.string(SHARED_SECRET, "");
        int lifetime = s.integer(CREDENTIAL_LIFETIME_MS, DEFAULT_CREDENTIAL_LIFETIME_MS);
        int requestBytes = s.integer(MAX_REQUEST_BYTES, DEFAULT_MAX_REQUEST_BYTES);
        int concurrent = s.integer(MAX_CONCURRENT_REQUESTS, DEFAULT_MAX_CONCURRENT_REQUESTS);
        return s.build(() -> new TurnConfig(uris, secret, lifetime, requestBytes, concurrent));
    }

    public boolean enabled() {
        return !uris.isEmpty();
    }

    @Override
    public String toString() {
        return "TurnConfig[uris=" + uris + ", sharedSecret=" + (sharedSecret.isEmpty() ? "" : "***")
                + ", credentialLifetimeMs=" + credentialLifetimeMs + ", maxRequestBytes=" + maxRequestBytes
                + ", maxConcurrentRequests=" + maxConcurrentRequests + "]";
    }
}
