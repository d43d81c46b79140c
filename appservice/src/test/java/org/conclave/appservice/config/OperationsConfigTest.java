package org.conclave.appservice.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.stream.Stream;
import org.conclave.sfu.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Sections admin, logging, public and turn: values, environment overrides, and problems named by key. */
class OperationsConfigTest {
    private static final String TOKEN = "t0k3n-0123456789abcdef0123456789abcdef";

    @Test
    void everyKeyIsReadAndTheEnvironmentWins() {
        ServerConfig c = ServerConfig.fromYaml("""
                admin:
                  listen_address: "::1"
                  listen_port: 9100
                  metrics_token: %s
                logging:
                  format: json
                  level: debug
                public:
                  listen_address: 0.0.0.0
                  listen_port: 8443
                turn:
                  uris: ["turn:turn.example.org:3478?transport=udp", "turns:turn.example.org:5349?transport=tcp"]
                  credential_lifetime_ms: 600000
                  max_request_bytes: 4096
                  max_concurrent_requests: 16
                """.formatted(TOKEN), Map.of("CONCLAVE_ADMIN_TOKEN", TOKEN, "CONCLAVE_ADMIN_LISTEN_PORT", "9101",
                "CONCLAVE_TURN_SHARED_SECRET", "sixteen-chars-ok", "CONCLAVE_TURN_MAX_CONCURRENT_REQUESTS", "200"));

        assertThat(c.admin()).isEqualTo(new AdminConfig("::1", 9101, TOKEN, TOKEN));
        assertThat(c.admin().toString()).doesNotContain(TOKEN);
        assertThat(c.logging()).isEqualTo(new LoggingConfig("json", "DEBUG"));
        assertThat(c.logging().json()).isTrue();
        assertThat(c.publicListener()).isEqualTo(new PublicConfig("0.0.0.0", 8443));
        assertThat(c.turn().uris()).hasSize(2);
        assertThat(c.turn().enabled()).isTrue();
        assertThat(c.turn().credentialLifetimeMs()).isEqualTo(600_000);
        assertThat(c.turn().maxRequestBytes()).isEqualTo(4096);
        assertThat(c.turn().maxConcurrentRequests()).isEqualTo(200);
        assertThat(c.turn().toString()).doesNotContain("sixteen-chars-ok");
    }

    @Test
    void theDefaultsKeepTheListenersPrivateAndTheAdminApiOff() {
        ServerConfig c = ServerConfig.fromYaml("", Map.of());

        assertThat(c.admin().listenAddress()).isEqualTo("127.0.0.1");
        assertThat(c.admin().adminEnabled()).isFalse();
        assertThat(c.publicListener().listenAddress()).isEqualTo("127.0.0.1");
        assertThat(c.turn().enabled()).isFalse();
        assertThat(c.turn().maxRequestBytes()).isEqualTo(16 * 1024);
        assertThat(c.turn().maxConcurrentRequests()).isEqualTo(64);
        assertThat(c.logging()).isEqualTo(LoggingConfig.defaults());
    }

    static Stream<Arguments> invalid() {
        return Stream.of(
                Arguments.of("admin:\n  listen_port: 70000", "admin.listen_port: must be between 0 and 65535, got 70000"),
                Arguments.of("admin:\n  listen_address: localhost",
                        "admin.listen_address: must be an IP address such as 0.0.0.0 or ::, got \"localhost\""),
                Arguments.of("admin:\n  token: short-secret", "admin.token: must be empty or at least 32 printable"
                        + " characters without spaces (e.g. the output of: openssl rand -hex 32); the value is not"
                        + " shown"),
                Arguments.of("logging:\n  format: xml", "logging.format: must be text or json, got \"xml\""),
                Arguments.of("logging:\n  level: LOUD",
                        "logging.level: must be one of ERROR, WARN, INFO, DEBUG, TRACE, got \"LOUD\""),
                Arguments.of("public:\n  listen_port: -1", "public.listen_port: must be between 0 and 65535, got -1"),
                Arguments.of("public:\n  homeserver_url: matrix.example.org", "public.homeserver_url: must be an"
                        + " http:// or https:// URL such as https://matrix.example.org, got \"matrix.example.org\""),
                Arguments.of("public:\n  web_root: 12", "public.web_root: must be a string, got 12 (a whole number); put it in"
                        + " quotes"),
                Arguments.of("turn:\n  uris: [\"http://turn.example.org\"]\n  shared_secret: sixteen-chars-ok",
                        "turn.uris: entries must be TURN URIs such as turn:turn.example.org:3478?transport=udp, got"
                                + " \"http://turn.example.org\""),
                Arguments.of("turn:\n  uris: [\"turn:turn.example.org\"]",
                        "turn.shared_secret: must be set (coturn's static-auth-secret) when turn.uris lists a TURN"
                                + " server"),
                Arguments.of("turn:\n  shared_secret: tooshort", "turn.shared_secret: must be at least 16 characters"
                        + " (coturn's static-auth-secret); the value is not shown"),
                Arguments.of("turn:\n  credential_lifetime_ms: 1000",
                        "turn.credential_lifetime_ms: must be between 60000 and 604800000, got 1000"),
                Arguments.of("turn:\n  max_request_bytes: 1023",
                        "turn.max_request_bytes: must be between 1024 and 1048576, got 1023"),
                Arguments.of("turn:\n  max_request_bytes: 1048577",
                        "turn.max_request_bytes: must be between 1024 and 1048576, got 1048577"),
                Arguments.of("turn:\n  max_concurrent_requests: 0",
                        "turn.max_concurrent_requests: must be between 1 and 10000, got 0"),
                Arguments.of("turn:\n  max_concurrent_requests: 10001",
                        "turn.max_concurrent_requests: must be between 1 and 10000, got 10001"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("invalid")
    void aWrongValueIsNamedByItsKeyAndASecretIsNeverShown(String yaml, String message) {
        assertThatThrownBy(() -> ServerConfig.fromYaml(yaml, Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessage(message)
                .message().doesNotContain("short-secret").doesNotContain("tooshort");
    }

    @Test
    void aSecretFromTheEnvironmentIsNamedWithItsVariable() {
        assertThatThrownBy(() -> ServerConfig.fromYaml("", Map.of("CONCLAVE_ADMIN_TOKEN", "abc")))
                .hasMessageContaining("admin.token: must be empty or at least 32")
                .hasMessageContaining("(from CONCLAVE_ADMIN_TOKEN)");
    }
}
