package org.conclave.appservice.config;

import java.nio.file.Path;
import org.conclave.sfu.config.ConfigSection;
import org.conclave.sfu.config.ConfigSource;
import org.conclave.sfu.config.ConfigValidator;

/**
 * Section {@code public}: the listener people's clients reach (Conclave Web and TURN credentials), plain HTTP behind
 * a TLS reverse proxy (docs/operators.md). Separate from the appservice API, which only the homeserver may reach.
 *
 * @param listenAddress local IP (default loopback: the reverse proxy on this machine forwards to it)
 * @param listenPort its port (0 = ephemeral, for tests)
 * @param webRoot the built web client ({@code web/dist}, relative to the working directory); empty: not served
 * @param homeserverUrl the homeserver URL people's browsers use (pre-filled at sign-in, allowed by the page's
 *     Content-Security-Policy); empty: {@code appservice.homeserver_url}
 */
public record PublicConfig(String listenAddress, int listenPort, String webRoot, String homeserverUrl) {
    public static final String SECTION = "public";
    public static final String LISTEN_ADDRESS = "listen_address";
    public static final String LISTEN_PORT = "listen_port";
    public static final String WEB_ROOT = "web_root";
    public static final String HOMESERVER_URL = "homeserver_url";
    public static final String DEFAULT_LISTEN_ADDRESS = "127.0.0.1";
    public static final int DEFAULT_LISTEN_PORT = 8010;
    public static final String DEFAULT_WEB_ROOT = "web/dist";

    public PublicConfig {
        ConfigValidator v = new ConfigValidator(SECTION)
                .ipAddress(LISTEN_ADDRESS, listenAddress)
                .range(LISTEN_PORT, listenPort, 0, AppserviceConfig.MAX_PORT);
        if (v.present(WEB_ROOT, webRoot)) {
            v.check(webRoot.isEmpty() || isPath(webRoot), WEB_ROOT, "must be a directory path (or empty: do not"
                    + " serve the web client)", webRoot);
        }
        if (v.present(HOMESERVER_URL, homeserverUrl) && !homeserverUrl.isEmpty()) {
            v.httpUrl(HOMESERVER_URL, homeserverUrl, "https://matrix.example.org");
        }
        v.throwIfInvalid();
    }

    public PublicConfig(String listenAddress, int listenPort) {
        this(listenAddress, listenPort, DEFAULT_WEB_ROOT, "");
    }

    public static PublicConfig defaults() {
        return new PublicConfig(DEFAULT_LISTEN_ADDRESS, DEFAULT_LISTEN_PORT);
    }

    public static PublicConfig read(ConfigSource source) {
        ConfigSection s = source.section(SECTION);
        String address = s.string(LISTEN_ADDRESS, DEFAULT_LISTEN_ADDRESS);
        int port = s.integer(LISTEN_PORT, DEFAULT_LISTEN_PORT);
        String webRoot = s.string(WEB_ROOT, DEFAULT_WEB_ROOT);
        String homeserverUrl = s.string(HOMESERVER_URL, "");
        return s.build(() -> new PublicConfig(address, port, webRoot, homeserverUrl));
    }

    public PublicConfig withWebRoot(String value) {
        return new PublicConfig(listenAddress, listenPort, value, homeserverUrl);
    }

    /** Whether the web client is served at all. */
    public boolean servesWebClient() {
        return !webRoot.isEmpty();
    }

    /** The homeserver URL browsers use: this section's, else the appservice's. */
    public String clientHomeserverUrl(AppserviceConfig appservice) {
        return homeserverUrl.isEmpty() ? appservice.homeserverUrl() : homeserverUrl;
    }

    private static boolean isPath(String value) {
        try {
            Path.of(value);
            return value.indexOf('\0') < 0;
        } catch (RuntimeException e) {
            return false;
        }
    }
}
