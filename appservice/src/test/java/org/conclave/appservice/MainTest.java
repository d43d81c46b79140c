package org.conclave.appservice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.conclave.appservice.registration.Registration;
import org.conclave.appservice.registration.RegistrationFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MainTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);

    private Path config(String extra) throws Exception {
        Path file = dir.resolve("conclave.yaml");
        Files.writeString(file, """
                sfu:
                  bind_address: 127.0.0.1
                  udp_port: 0
                  advertised_addresses: [203.0.113.7]
                admin:
                  listen_port: 0
                public:
                  listen_port: 0
                appservice:
                  server_name: example.org
                  listen_port: 0
                  registration_path: %s
                  journal_path: %s
                """.formatted(dir.resolve("var/registration.yaml"), dir.resolve("var/appservice.journal")) + extra);
        return file;
    }

    @Test
    void startsBothListenersWritesTheRegistrationAndNeverPrintsATokenThenStops() throws Exception {
        Path config = config("");
        Registration registration;
        try (ConclaveServer server = Main.launch(new String[] {"--config", config.toString()}, Map.of(), out)) {
            String url = server.api().url();
            HttpResponse<String> health = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(url + "/health")).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);

            registration = new RegistrationFile(dir.resolve("var/registration.yaml")).read();
            assertThat(registration.url()).isEqualTo(url);
            String text = printed.toString(StandardCharsets.UTF_8);
            assertThat(text).contains("Wrote a new appservice registration (secret tokens inside): "
                    + dir.resolve("var/registration.yaml"))
                    .contains("app_service_config_files:", "  - " + dir.resolve("var/registration.yaml"),
                            "msc2409_to_device_messages_enabled: true", "Restart Synapse")
                    .contains("SFU media: udp 127.0.0.1:" + server.sfu().boundAddress().getPort())
                    .contains(", candidates 203.0.113.7")
                    .contains("Appservice API: " + url + "\n")
                    .contains("Transaction journal: " + dir.resolve("var/appservice.journal") + "\n")
                    .doesNotContain(registration.asToken()).doesNotContain(registration.hsToken());
        }

        printed.reset();
        try (ConclaveServer again = Main.launch(new String[] {"--config=" + config}, Map.of(), out)) {
            String text = printed.toString(StandardCharsets.UTF_8);
            assertThat(text).contains("Appservice registration: " + dir.resolve("var/registration.yaml"))
                    .doesNotContain("app_service_config_files")
                    .doesNotContain(registration.asToken()).doesNotContain(registration.hsToken());
        }
    }

    @Test
    void anUnsetServerNameIsAskedOfTheHomeserverAndWrittenIntoTheRegistration() throws Exception {
        com.sun.net.httpserver.HttpServer hs = homeserver("{\"versions\":[\"v1.11\"]}",
                "{\"server_name\":\"matrix.example.net\",\"verify_keys\":{}}");
        try {
            Path config = config("").resolveSibling("conclave.yaml");
            Files.writeString(config, Files.readString(config).replace("  server_name: example.org\n",
                    "  homeserver_url: http://127.0.0.1:" + hs.getAddress().getPort() + "\n"));
            try (ConclaveServer server = Main.launch(new String[] {"--config", config.toString()}, Map.of(), out)) {
                assertThat(printed.toString(StandardCharsets.UTF_8)).contains(
                        "Server name (asked the homeserver, appservice.server_name is not set): matrix.example.net");
                assertThat(new RegistrationFile(dir.resolve("var/registration.yaml")).read().userRegexes())
                        .allMatch(r -> r.endsWith(":matrix\\.example\\.net"));
            }
        } finally {
            hs.stop(0);
        }
    }

    @Test
    void anUnsetServerNameTheHomeserverCannotTellStopsTheStartNamingTheKey() throws Exception {
        com.sun.net.httpserver.HttpServer hs = homeserver("{\"versions\":[\"v1.11\"]}", null);
        try {
            Path config = config("");
            Files.writeString(config, Files.readString(config).replace("  server_name: example.org\n",
                    "  homeserver_url: http://127.0.0.1:" + hs.getAddress().getPort() + "\n"));
            assertThatThrownBy(() -> Main.launch(new String[] {"--config", config.toString()}, Map.of(), out))
                    .isInstanceOfSatisfying(Main.StartupException.class, e -> assertThat(e.exitCode).isEqualTo(1))
                    .hasMessageContaining("appservice.server_name is not set")
                    .hasMessageContaining("/_matrix/key/v2/server answered HTTP 404")
                    .hasMessageContaining("Set appservice.server_name (environment: CONCLAVE_APPSERVICE_SERVER_NAME)");
            assertThat(Files.exists(dir.resolve("var/registration.yaml"))).isFalse();
        } finally {
            hs.stop(0);
        }
    }

    /** A homeserver stand-in answering versions and (when not null) its signing keys; 404 otherwise. */
    private static com.sun.net.httpserver.HttpServer homeserver(String versions, String keys) throws Exception {
        com.sun.net.httpserver.HttpServer hs = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
        hs.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            String body = path.equals("/_matrix/client/versions") ? versions
                    : path.equals("/_matrix/key/v2/server") ? keys : null;
            byte[] bytes = (body == null ? "{\"errcode\":\"M_UNRECOGNIZED\"}" : body).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(body == null ? 404 : 200, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        hs.start();
        return hs;
    }

    @Test
    void aSecondProcessOnTheSameJournalIsRefusedWithTheWayOut() throws Exception {
        Path config = config("");
        try (ConclaveServer first = Main.launch(new String[] {"--config", config.toString()}, Map.of(), out)) {
            assertThatThrownBy(() -> Main.launch(new String[] {"--config", config.toString()}, Map.of(), out))
                    .isInstanceOfSatisfying(Main.StartupException.class, e -> assertThat(e.exitCode).isEqualTo(1))
                    .hasMessageStartingWith("Transaction journal problem: " + dir.resolve("var/appservice.journal")
                            + " is in use by another Conclave process");
            assertThat(first.journal()).isNotNull();
        }
    }

    @Test
    void badConfigExitsWithEveryProblemListed() throws Exception {
        Path config = config("  listen_prot: 1\n");

        assertThatThrownBy(() -> Main.launch(new String[] {"--config", config.toString()},
                Map.of("CONCLAVE_SFU_UDP_PORT", "70000"), out))
                .isInstanceOfSatisfying(Main.StartupException.class, e -> assertThat(e.exitCode).isEqualTo(2))
                .hasMessage("Configuration error (" + config + "):\n"
                        + "  sfu.udp_port: must be between 0 and 65535, got 70000 (from CONCLAVE_SFU_UDP_PORT)\n"
                        + "  appservice.listen_prot: unknown key; did you mean listen_port?");
        assertThat(Files.exists(dir.resolve("var/registration.yaml"))).isFalse();
    }

    @Test
    void missingConfigFileIsNamed() {
        Path missing = dir.resolve("nope.yaml");

        assertThatThrownBy(() -> Main.launch(new String[] {"--config", missing.toString()}, Map.of(), out))
                .hasMessage("Configuration error (" + missing + "):\n  " + missing + ": configuration file not found");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            ''                       | config/conclave.yaml
            --config a.yaml          | a.yaml
            --config=b.yaml          | b.yaml
            --config a.yaml --config c.yaml | c.yaml
            """)
    void configArgument(String args, String expected) throws Exception {
        assertThat(Main.configFile(args.isEmpty() ? new String[0] : args.split(" "))).isEqualTo(Path.of(expected));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            --config        | --config needs a file
            --config=       | --config needs a file
            --port 1        | unexpected argument: --port
            conclave.yaml   | unexpected argument: conclave.yaml
            """)
    void badArgumentsAreUsageErrors(String args, String expectedStart) {
        assertThatThrownBy(() -> Main.configFile(args.split(" ")))
                .isInstanceOfSatisfying(Main.StartupException.class, e -> assertThat(e.exitCode).isEqualTo(2))
                .hasMessageStartingWith(expectedStart)
                .hasMessageEndingWith(Main.USAGE);
    }

    @Test
    void helpPrintsUsage() throws Exception {
        assertThat(Main.configFile(new String[] {"--help"})).isNull();
        assertThatThrownBy(() -> Main.launch(new String[] {"-h"}, Map.of(), out))
                .isInstanceOfSatisfying(Main.StartupException.class, e -> assertThat(e.exitCode).isZero());
        assertThat(printed.toString(StandardCharsets.UTF_8)).isEqualTo(Main.USAGE + "\n");
    }
}
