package org.conclave.appservice.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.conclave.sfu.config.ConfigException;
import org.conclave.sfu.config.ConfigProblem;
import org.conclave.sfu.config.SfuConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class AppserviceConfigTest {

    @Test
    void shippedConfigFileHoldsExactlyTheDefaults() {
        // Tests run in the module directory; the file is the one ./run.sh uses.
        ServerConfig shipped = ServerConfig.load(Path.of("../config/conclave.yaml"), Map.of());

        assertThat(shipped).isEqualTo(ServerConfig.defaults());
    }

    @Test
    void defaults() {
        AppserviceConfig config = ServerConfig.fromYaml("", Map.of()).appservice();

        assertThat(config).isEqualTo(new AppserviceConfig("http://127.0.0.1:8008", "", "127.0.0.1", 8009,
                "conclave", "conclave", "_conclave_", "var/registration.yaml"));
        assertThat(config.registrationFile()).isEqualTo(Path.of("var/registration.yaml"));
        assertThat(config).isEqualTo(new AppserviceConfig("http://127.0.0.1:8008", "", "127.0.0.1", 8009,
                "conclave", "conclave", "_conclave_", "var/registration.yaml", "Conclave", "var/appservice.journal",
                100_000, 30_000, 30_000, 24, 10_000));
        assertThat(config.journalFile()).isEqualTo(Path.of("var/appservice.journal"));
        // Not set: learnt from the homeserver at start (MainTest), never "localhost" by default.
        assertThat(config.serverNameUnset()).isTrue();
        assertThat(config.withServerName("example.org").senderUserId()).isEqualTo("@conclave:example.org");
        assertThat(config.deviceId()).isEqualTo("CONCLAVE");
    }

    @Test
    void everyKeyIsReadAndTheEnvironmentWins() {
        ServerConfig config = ServerConfig.fromYaml("""
                sfu:
                  udp_port: 0
                appservice:
                  homeserver_url: https://matrix.example.org
                  server_name: example.org
                  listen_address: "::1"
                  listen_port: 9000
                  as_id: conclave-prod
                  sender_localpart: sfu
                  user_namespace_prefix: _sfu_
                  registration_path: /etc/conclave/registration.yaml
                  display_name: Conference bridge
                  journal_path: /var/lib/conclave/appservice.journal
                  dedupe_window_events: 5000
                  event_timeout_ms: 2000
                  homeserver_timeout_ms: 3000
                  homeserver_max_attempts: 4
                  homeserver_max_backoff_ms: 4000
                  device_id: FROM_FILE
                """, Map.of("CONCLAVE_APPSERVICE_LISTEN_PORT", "9001", "CONCLAVE_SFU_MAX_ENDPOINTS", "50",
                "CONCLAVE_APPSERVICE_HOMESERVER_MAX_ATTEMPTS", "9", "CONCLAVE_APPSERVICE_DEVICE_ID", "SFU_1"));

        assertThat(config.appservice()).isEqualTo(new AppserviceConfig("https://matrix.example.org", "example.org",
                "::1", 9001, "conclave-prod", "sfu", "_sfu_", "/etc/conclave/registration.yaml", "Conference bridge",
                "/var/lib/conclave/appservice.journal", 5000, 2000, 3000, 9, 4000, "SFU_1"));
        assertThat(config.sfu()).isEqualTo(SfuConfig.defaults().withUdpPort(0).withMaxEndpoints(50));
    }

    static Stream<Arguments> invalidValues() {
        return Stream.of(
                Arguments.of("homeserver_url: 127.0.0.1:8008", "appservice.homeserver_url: must be an http:// or"
                        + " https:// URL such as http://127.0.0.1:8008, got \"127.0.0.1:8008\""),
                Arguments.of("server_name: 'example.org:99999'", "appservice.server_name: must be a Matrix server"
                        + " name: a host name or IP, optionally with :port, got \"example.org:99999\""),
                Arguments.of("listen_address: localhost", "appservice.listen_address: must be an IP address such as"
                        + " 0.0.0.0 or ::, got \"localhost\""),
                Arguments.of("listen_port: 65536", "appservice.listen_port: must be between 0 and 65535, got 65536"),
                Arguments.of("listen_port: '8009'",
                        "appservice.listen_port: must be a whole number, got \"8009\" (a string)"),
                Arguments.of("as_id: 'con clave'", "appservice.as_id: must be letters, digits, '.', '_', '~' or '-',"
                        + " got \"con clave\""),
                Arguments.of("sender_localpart: Conclave", "appservice.sender_localpart: must be a Matrix localpart:"
                        + " lower-case letters, digits and ._=/+-, got \"Conclave\""),
                Arguments.of("user_namespace_prefix: ''", "appservice.user_namespace_prefix: must be a Matrix"
                        + " localpart prefix: lower-case letters, digits and ._=/+-, got \"\""),
                Arguments.of("registration_path: ' '", "appservice.registration_path: must be a file path, got \"\""),
                Arguments.of("listen_prot: 1", "appservice.listen_prot: unknown key; did you mean listen_port?"),
                Arguments.of("display_name: ''", "appservice.display_name: must be 1 to 256 characters without"
                        + " control characters, got \"\""),
                Arguments.of("display_name: \"a\\nb\"", "appservice.display_name: must be 1 to 256 characters"
                        + " without control characters, got \"a\\nb\""),
                Arguments.of("journal_path: ' '", "appservice.journal_path: must be a file path, got \"\""),
                Arguments.of("dedupe_window_events: 999",
                        "appservice.dedupe_window_events: must be between 1000 and 10000000, got 999"),
                Arguments.of("event_timeout_ms: 99",
                        "appservice.event_timeout_ms: must be between 100 and 600000, got 99"),
                Arguments.of("homeserver_timeout_ms: 600001",
                        "appservice.homeserver_timeout_ms: must be between 100 and 600000, got 600001"),
                Arguments.of("homeserver_max_attempts: 0",
                        "appservice.homeserver_max_attempts: must be between 1 and 100, got 0"),
                Arguments.of("homeserver_max_backoff_ms: 9",
                        "appservice.homeserver_max_backoff_ms: must be between 10 and 600000, got 9"),
                Arguments.of("device_id: 'MY DEVICE'", "appservice.device_id: must be 1 to 64 letters, digits, '.',"
                        + " '_', '~' or '-', got \"MY DEVICE\""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidValues")
    void invalidValueIsNamed(String line, String expected) {
        assertThatThrownBy(() -> ServerConfig.fromYaml("appservice:\n  " + line + "\n", Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessage(expected);
    }

    @Test
    void problemsOfBothSectionsAndTheEnvironmentComeTogether() {
        ConfigException e = catchConfigException("""
                sfu:
                  udp_port: 70000
                appservice:
                  listen_port: -5
                colour: blue
                """, Map.of("CONCLAVE_APPSERVICE_SERVER_NAME", "bad name"));

        assertThat(e.problems()).extracting(ConfigProblem::toString).containsExactly(
                "sfu.udp_port: must be between 0 and 65535, got 70000",
                "appservice.server_name: must be a Matrix server name: a host name or IP, optionally with :port,"
                        + " got \"bad name\" (from CONCLAVE_APPSERVICE_SERVER_NAME)",
                "appservice.listen_port: must be between 0 and 65535, got -5",
                "colour: unknown section (known: sfu, appservice, calls, admin, logging, public, turn, cluster)");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            localhost             | true
            matrix.example.org    | true
            example.org:8448      | true
            1.2.3.4               | true
            1.2.3.4:8448          | true
            [2001:db8::1]         | true
            [2001:db8::1]:8448    | true
            2001:db8::1           | false
            [1.2.3.4]             | false
            example.org:0         | false
            example.org:          | false
            exa_mple.org          | false
            @example.org          | false
            """)
    void recognisesMatrixServerNames(String value, boolean valid) {
        assertThat(AppserviceConfig.isServerName(value)).isEqualTo(valid);
    }

    private static ConfigException catchConfigException(String yaml, Map<String, String> env) {
        try {
            ServerConfig.fromYaml(yaml, env);
        } catch (ConfigException e) {
            return e;
        }
        throw new AssertionError("no ConfigException");
    }
}
