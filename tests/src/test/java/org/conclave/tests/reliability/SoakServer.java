package org.conclave.tests.reliability;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.conclave.appservice.config.AppserviceConfig;
import org.conclave.appservice.registration.Registration;
import org.conclave.tests.call.MatrixCallBridge;
import org.conclave.tests.homeserver.AppservicePusher;
import org.conclave.tests.homeserver.ChildProcess;
import org.conclave.tests.homeserver.HomeserverDouble;
import org.conclave.tests.homeserver.RoomOptions;
import org.conclave.tests.homeserver.ScriptedClient;
import org.conclave.tests.ops.PromText;

/**
 * Conclave as operators run it (Main, in its own JVM with the optimising compiler) against a homeserver double in this
 * JVM, with the admin listener's /metrics and admin API to read it and {@code jcmd} to collect its garbage before a
 * heap reading.
 */
final class SoakServer implements AutoCloseable {
    static final String SERVER_NAME = "hs.test";
    static final String ADMIN_TOKEN = "admin-0123456789abcdef0123456789abcdef";
    static final String METRICS_TOKEN = "metrics-0123456789abcdef0123456789abcdef";
    static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    /** The soak's server JVM: a fixed heap ceiling so a leak shows as growth, not as a bigger heap. */
    static final List<String> JVM_OPTIONS = List.of("-Xms256m", "-Xmx1g", "-XX:+UseG1GC");
    private static final String ADMIN_LINE = "Metrics and admin API: ";

    private final Vertx vertx;
    final HomeserverDouble hs;
    final MatrixCallBridge bridge;
    private final ChildProcess child;
    private final String adminUrl;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private SoakServer(Vertx vertx, HomeserverDouble hs, ChildProcess child, String adminUrl) {
        this.vertx = vertx;
        this.hs = hs;
        this.child = child;
        this.adminUrl = adminUrl;
        this.bridge = new MatrixCallBridge(hs);
    }

    static SoakServer start(Path dir) throws Exception {
        int port = freePort();
        AppserviceConfig named = AppserviceConfig.defaults().withServerName(SERVER_NAME);
        Registration registration = Registration.generate(named, "http://127.0.0.1:" + port, new SecureRandom());
        Vertx hsVertx = Vertx.vertx();
        HomeserverDouble hs = HomeserverDouble.start(hsVertx, registration, SERVER_NAME,
                AppservicePusher.Options.defaults());
        Path registrationFile = dir.resolve("var/registration.yaml");
        Files.createDirectories(registrationFile.getParent());
        Files.writeString(registrationFile, registration.toYaml());
        Path config = dir.resolve("conclave.yaml");
        Files.writeString(config, """
                sfu:
                  bind_address: 127.0.0.1
                  udp_port: 0
                  max_endpoints: 2000
                appservice:
                  homeserver_url: %s
                  server_name: %s
                  listen_port: %d
                  registration_path: %s
                  journal_path: %s
                admin:
                  listen_port: 0
                  token: %s
                  metrics_token: %s
                public:
                  listen_port: 0
                """.formatted(hs.url(), SERVER_NAME, port, registrationFile, dir.resolve("var/appservice.journal"),
                ADMIN_TOKEN, METRICS_TOKEN));
        ChildProcess child = ChildProcess.product(config, dir.resolve("conclave.log"), JVM_OPTIONS);
        String line = child.awaitLine(ADMIN_LINE, START_TIMEOUT);
        child.awaitLine("Transaction journal:", START_TIMEOUT);
        String adminUrl = line.substring(ADMIN_LINE.length(), line.indexOf("/metrics"));
        return new SoakServer(hsVertx, hs, child, adminUrl);
    }

    long pid() {
        return child.pid();
    }

    /** A conference room owned by {@code owner} (a host) with the bot (power 50) and {@code members} joined. */
    String conferenceRoom(String name, ScriptedClient owner, List<ScriptedClient> members) throws Exception {
        Map<String, Integer> levels = new HashMap<>();
        levels.put(hs.botUserId(), 50);
        String room = owner.createRoom(RoomOptions.privateRoom(name).withPowerLevels(levels)
                .inviting(hs.botUserId()));
        hs.awaitEvent(room, e -> e.getString("type").equals("m.room.member")
                && hs.botUserId().equals(e.getString("state_key"))
                && "join".equals(e.getJsonObject("content").getString("membership")), START_TIMEOUT);
        for (ScriptedClient member : members) {
            owner.invite(room, member.userId());
            member.join(room);
        }
        return room;
    }

    PromText scrape() throws Exception {
        return PromText.parse(get("/metrics", METRICS_TOKEN));
    }

    /** GET /admin/v1/conferences. */
    JsonObject conferences() throws Exception {
        return new JsonObject(get("/admin/v1/conferences", ADMIN_TOKEN));
    }

    /** A full collection in the server's JVM (jcmd GC.run), so the heap then holds only what is live. */
    void collectGarbage() throws Exception {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(pid()), "GC.run").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("jcmd GC.run failed: " + out);
        }
    }

    private String get(String path, String token) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(adminUrl + path))
                .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(30)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) throw new IllegalStateException(path + " -> " + r.statusCode() + " " + r.body());
        return r.body();
    }

    @Override
    public void close() throws Exception {
        bridge.close();
        child.close();
        hs.close();
        vertx.close().await(30, TimeUnit.SECONDS);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
