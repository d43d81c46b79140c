package org.conclave.tests.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.conclave.appservice.config.AppserviceConfig;
import org.conclave.appservice.registration.Registration;
import org.conclave.tests.harness.TestPaths;
import org.conclave.tests.homeserver.AppservicePusher;
import org.conclave.tests.homeserver.HomeserverDouble;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The release archive {@code mvn package} builds (module dist), unpacked in an empty directory and started with only
 * Java on PATH and its own default configuration: it learns the server name from the homeserver, writes its
 * registration under var/, answers /health on its listeners, and stops on SIGTERM. The environment overrides only
 * what a test must (ephemeral ports on loopback, and where the homeserver is).
 */
class ReleaseArchiveTest {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @Test
    void theUnpackedArchiveStartsWithItsDefaultsAndAnswersHealth() throws Exception {
        Path archive;
        try (Stream<Path> files = Files.list(TestPaths.moduleDir().resolve("../dist/target"))) {
            archive = files.filter(f -> f.getFileName().toString().matches("conclave-.*-bin\\.tar\\.gz"))
                    .findFirst().orElseThrow(() -> new AssertionError("no release archive: run mvn package"));
        }
        Path unpacked = dir.resolve("unpacked");
        Files.createDirectories(unpacked);
        assertThat(new ProcessBuilder("tar", "-xzf", archive.toString(), "-C", unpacked.toString()).inheritIO()
                .start().waitFor()).isZero();
        Path home;
        try (Stream<Path> top = Files.list(unpacked)) {
            home = top.findFirst().orElseThrow();
        }
        assertThat(home.resolve("config/conclave.yaml")).isRegularFile();
        assertThat(home.resolve("docs/operators.md")).isRegularFile();
        assertThat(home.resolve("docs/conclave.service")).isRegularFile();
        assertThat(home.resolve("docs/grafana-dashboard.json")).isRegularFile();
        assertThat(Files.isExecutable(home.resolve("bin/conclave"))).isTrue();

        Vertx vertx = Vertx.vertx();
        AppserviceConfig named = AppserviceConfig.defaults().withServerName(OpsRig.SERVER_NAME);
        HomeserverDouble hs = HomeserverDouble.start(vertx, Registration.generate(named, "http://127.0.0.1:1",
                new SecureRandom()), OpsRig.SERVER_NAME, AppservicePusher.Options.defaults());
        ProcessBuilder pb = new ProcessBuilder(home.resolve("bin/conclave").toString()).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.clear();
        env.put("PATH", Path.of(System.getProperty("java.home"), "bin") + ":/usr/bin:/bin");
        env.put("CONCLAVE_APPSERVICE_HOMESERVER_URL", hs.url());
        for (String key : List.of("CONCLAVE_SFU_UDP_PORT", "CONCLAVE_APPSERVICE_LISTEN_PORT",
                "CONCLAVE_ADMIN_LISTEN_PORT", "CONCLAVE_PUBLIC_LISTEN_PORT")) {
            env.put(key, "0");
        }
        env.put("CONCLAVE_SFU_BIND_ADDRESS", "127.0.0.1");
        Process process = pb.start();
        List<String> lines = new ArrayList<>();
        Thread reader = new Thread(() -> pump(process, lines), "archive-output");
        reader.setDaemon(true);
        reader.start();
        try {
            String api = awaitLine(lines, "Appservice API: ", process).substring("Appservice API: ".length());
            String front = awaitLine(lines, "Public listener: ", process).substring("Public listener: ".length());
            String admin = awaitLine(lines, "Metrics and admin API: ", process)
                    .substring("Metrics and admin API: ".length()).split("/metrics")[0];
            assertThat(lines).anyMatch(l -> l.endsWith("server_name is not set): " + OpsRig.SERVER_NAME));
            HttpClient http = HttpClient.newHttpClient();
            for (String url : List.of(api + "/health", front + "/health", admin + "/health")) {
                HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(url))
                        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(health.statusCode()).as(url).isEqualTo(200);
                assertThat(new io.vertx.core.json.JsonObject(health.body()).getString("status")).as(url)
                        .isEqualTo("ok");
            }
            assertThat(http.send(HttpRequest.newBuilder(URI.create(admin + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body()).contains("conclave_sfu_datagrams_received_total");
            String registration = Files.readString(home.resolve("var/registration.yaml"));
            assertThat(registration).contains(":hs\\.test'");
        } finally {
            process.destroy();
            boolean exited = process.waitFor(15, TimeUnit.SECONDS);
            hs.close();
            vertx.close().await(10, TimeUnit.SECONDS);
            assertThat(exited).as("exited after SIGTERM; output: %s", lines).isTrue();
        }
        assertThat(process.exitValue()).isEqualTo(128 + 15);
    }

    private static String awaitLine(List<String> lines, String prefix, Process process) throws InterruptedException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        synchronized (lines) {
            while (true) {
                for (String line : lines) {
                    if (line.startsWith(prefix)) return line;
                }
                if (System.nanoTime() > deadline || !process.isAlive()) {
                    throw new AssertionError("no line starting with " + prefix + "; output: " + lines);
                }
                lines.wait(200);
            }
        }
    }

    private static void pump(Process process, List<String> lines) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                synchronized (lines) {
                    lines.add(line);
                    lines.notifyAll();
                }
            }
        } catch (IOException e) {
            // the process is gone
        }
    }
}
