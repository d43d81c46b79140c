package org.conclave.appservice.config;

import org.conclave.sfu.config.ConfigSection;
import org.conclave.sfu.config.ConfigSource;
import org.conclave.sfu.config.ConfigValidator;

/**
 * Section {@code admin}: the operators' private listener, which serves {@code /metrics} (Prometheus) and the admin API
 * ({@code /admin/v1/...}). Keep it on loopback or a private network.
 *
 * @param listenAddress local IP of the listener (default loopback)
 * @param listenPort its port (0 = ephemeral, for tests)
 * @param token bearer token of the admin API; empty: the admin API refuses every call (401)
 * @param metricsToken bearer token {@code /metrics} asks for; empty: anyone who reaches the listener may scrape
 */
public record AdminConfig(String listenAddress, int listenPort, String token, String metricsToken) {
    public static final String SECTION = "admin";
    public static final String LISTEN_ADDRESS = "listen_address";
    public static final String LISTEN_PORT = "listen_port";
    public static final String TOKEN = "token";
    public static final String METRICS_TOKEN = "metrics_token";

    public static final String DEFAULT_LISTEN_ADDRESS = "127.0.0.1";
    public static final int DEFAULT_LISTEN_PORT = 8011;
    /** A token an attacker cannot guess by trying: at least this many characters. */
    public static final int MIN_TOKEN_CHARS = 32;

    public AdminConfig {
        ConfigValidator v = new ConfigValidator(SECTION)
                .ipAddress(LISTEN_ADDRESS, listenAddress)
                .range(LISTEN_PORT, listenPort, 0, AppserviceConfig.MAX_PORT);
        secret(v, TOKEN, token);
        secret(v, METRICS_TOKEN, metricsToken);
        v.throwIfInvalid();
    }

    /** Empty (off) or at least {@link #MIN_TOKEN_CHARS} visible characters; the value itself is never printed. */
    static void secret(ConfigValidator v, String key, String value) {
        if (!v.present(key, value)) return;
        v.require(value.isEmpty() || (value.length() >= MIN_TOKEN_CHARS && value.chars().allMatch(c -> c > 32 && c < 127)),
                key, "must be empty or at least " + MIN_TOKEN_CHARS + " printable characters without spaces (e.g. "
                        + "the output of: openssl rand -hex 32); the value is not shown");
    }

    public static AdminConfig defaults() {
        return new AdminConfig(DEFAULT_LISTEN_ADDRESS, DEFAULT_LISTEN_PORT, "", "");
    }

    public static AdminConfig read(ConfigSource source) {
        ConfigSection s = source.section(SECTION);
        String address = s.string(LISTEN_ADDRESS, DEFAULT_LISTEN_ADDRESS);
        int port = s.integer(LISTEN_PORT, DEFAULT_LISTEN_PORT);
        String token = s.string(TOKEN, "");
        String metricsToken = s.string(METRICS_TOKEN, "");
        return s.build(() -> new AdminConfig(address, port, token, metricsToken));
    }

    public boolean adminEnabled() {
        return !token.isEmpty();
    }

    @Override
    public String toString() {
        return "AdminConfig[listenAddress=" + listenAddress + ", listenPort=" + listenPort + ", token="
                + (token.isEmpty() ? "" : "***") + ", metricsToken=" + (metricsToken.isEmpty() ? "" : "***") + "]";
    }
}
