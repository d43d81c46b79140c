package org.conclave.appservice.config;

import org.conclave.sfu.config.ConfigSection;
import org.conclave.sfu.config.ConfigSource;
import org.conclave.sfu.config.ConfigValidator;

/**
 * Section {@code public}: the listener people's clients reach (TURN credentials today, the web client next), plain
 * HTTP behind a TLS reverse proxy (docs/operators.md). Separate from the appservice API, which only the homeserver may
 * reach.
 *
 * @param listenAddress local IP (default loopback: the reverse proxy on this machine forwards to it)
 * @param listenPort its port (0 = ephemeral, for tests)
 */
public record PublicConfig(String listenAddress, int listenPort) {
    public static final String SECTION = "public";
    public static final String LISTEN_ADDRESS = "listen_address";
    public static final String LISTEN_PORT = "listen_port";
    public static final String DEFAULT_LISTEN_ADDRESS = "127.0.0.1";
    public static final int DEFAULT_LISTEN_PORT = 8010;

    public PublicConfig {
        new ConfigValidator(SECTION)
                .ipAddress(LISTEN_ADDRESS, listenAddress)
                .range(LISTEN_PORT, listenPort, 0, AppserviceConfig.MAX_PORT)
                .throwIfInvalid();
    }

    public static PublicConfig defaults() {
        return new PublicConfig(DEFAULT_LISTEN_ADDRESS, DEFAULT_LISTEN_PORT);
    }

    public static PublicConfig read(ConfigSource source) {
        ConfigSection s = source.section(SECTION);
        String address = s.string(LISTEN_ADDRESS, DEFAULT_LISTEN_ADDRESS);
        int port = s.integer(LISTEN_PORT, DEFAULT_LISTEN_PORT);
        return s.build(() -> new PublicConfig(address, port));
    }
}
