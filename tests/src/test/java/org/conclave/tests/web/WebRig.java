package org.conclave.tests.web;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.conclave.appservice.AppserviceHooks;
import org.conclave.appservice.ConclaveServer;
import org.conclave.appservice.call.CallService;
import org.conclave.appservice.config.AppserviceConfig;
import org.conclave.appservice.config.ServerConfig;
import org.conclave.appservice.registration.Registration;
import org.conclave.appservice.txn.TransactionObserver;
import org.conclave.tests.e2ee.PayloadTap;
import org.conclave.tests.harness.TestPaths;
import org.conclave.tests.homeserver.AppservicePusher;
import org.conclave.tests.homeserver.HomeserverDouble;
import org.conclave.tests.homeserver.MatrixPages;
import org.conclave.tests.homeserver.RoomOptions;
import org.conclave.tests.homeserver.ScriptedClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Conclave (SFU + appservice with the call handler) against a {@link HomeserverDouble}, a tap on everything the SFU
 * decrypts hop by hop, the built Conclave Web app ({@code web/dist}, rebuilt when a source is newer) served over HTTP
 * with its config.json, and one headless Chromium whose contexts are the people ({@link MatrixPages}).
 */
final class WebRig implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WebRig.class);
    static final String SERVER_NAME = "hs.test";
    static final String PASSWORD = "correct horse battery staple";
    static final Duration TIMEOUT = Duration.ofSeconds(60);
    static final String BOT_DEVICE = "CONCLAVE";
    private static final Map<String, String> CONTENT_TYPES = Map.of("html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8", "css", "text/css; charset=utf-8", "wasm", "application/wasm",
            "json", "application/json");

    final Vertx vertx;
    final ConclaveServer server;
    final HomeserverDouble hs;
    final PayloadTap tap = new PayloadTap();
    final MatrixPages pages;
    private final HttpServer web;

    private WebRig(Vertx vertx, ConclaveServer server, HomeserverDouble hs, HttpServer web, MatrixPages pages) {
        this.vertx = vertx;
        this.server = server;
        this.hs = hs;
        this.web = web;
        this.pages = pages;
    }

    static WebRig start(Path dir) throws Exception {
        buildIfStale();
        ServerConfig config = ServerConfig.fromYaml(yaml(dir), Map.of());
        ConclaveServer server = ConclaveServer.start(config);
        Vertx vertx = Vertx.vertx();
        HomeserverDouble hs = null;
        HttpServer web = null;
        try {
            Registration registration = Registration.generate(config.appservice(), server.api().url(),
                    new SecureRandom());
            hs = HomeserverDouble.start(vertx, registration, SERVER_NAME, AppservicePusher.Options.defaults());
            AppserviceConfig a = config.appservice();
            server.startAppservice(a.withHomeserver(hs.url(), a.homeserverTimeoutMs(), a.homeserverMaxAttempts(),
                    a.homeserverMaxBackoffMs()), registration, new AppserviceHooks(
                    running -> CallService.create(running.vertx(), running.sfu().control(), running.matrix().bot(),
                            config), TransactionObserver.NONE));
            server.bootstrapped().await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            web = serve(vertx, hs);
            WebRig rig = new WebRig(vertx, server, hs, web, MatrixPages.start(vertx));
            server.sfu().setPacketTap(rig.tap);
            return rig;
        } catch (Exception | Error e) {
            server.close();
            if (hs != null) hs.close();
            vertx.close();
            throw e;
        }
    }

    private static String yaml(Path dir) {
        return """
                sfu:
                  bind_address: 127.0.0.1
                  udp_port: 0
                appservice:
                  homeserver_url: http://127.0.0.1:1
                  server_name: %s
                  listen_address: 127.0.0.1
                  listen_port: 0
                  registration_path: %s
                  journal_path: %s
                  homeserver_max_backoff_ms: 100
                calls:
                  allowed_servers: ["*"]
                  host_power_level: 50
                  require_e2ee_in_encrypted_rooms: true
                """.formatted(SERVER_NAME, dir.resolve("registration.yaml"), dir.resolve("appservice.journal"));
    }

    /** The built app with the headers the public listener sends (a strict Content-Security-Policy). */
    private static HttpServer serve(Vertx vertx, HomeserverDouble hs) throws Exception {
        Path root = TestPaths.webAppDir().resolve("dist");
        String config = new JsonObject().put("default_homeserver", hs.url()).put("bot_user_id", hs.botUserId())
                .put("bot_device_id", BOT_DEVICE).encode();
        String csp = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'; style-src 'self'; "
                + "img-src 'self' data: blob:; media-src 'self' blob: mediastream:; connect-src 'self' " + hs.url()
                + "; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";
        return vertx.createHttpServer().requestHandler(request -> {
            String path = request.path().equals("/") ? "/index.html" : request.path();
            request.response().putHeader("Content-Security-Policy", csp).putHeader("X-Content-Type-Options", "nosniff");
            if (path.equals("/config.json")) {
                request.response().putHeader("Content-Type", "application/json").end(config);
                return;
            }
            Path file = root.resolve(path.substring(1)).normalize();
            String name = file.getFileName() == null ? "" : file.getFileName().toString();
            String type = CONTENT_TYPES.get(name.substring(name.lastIndexOf('.') + 1));
            if (!file.startsWith(root) || type == null || !Files.isRegularFile(file)) {
                request.response().setStatusCode(404).end();
                return;
            }
            request.response().putHeader("Content-Type", type).sendFile(file.toString());
        }).listen(0, "127.0.0.1").await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Rebuilds web/dist with {@code node build.mjs} when it is missing or older than a source. */
    static void buildIfStale() throws IOException, InterruptedException {
        Path webDir = TestPaths.webAppDir();
        Path bundle = webDir.resolve("dist/app.js");
        boolean stale = !Files.isRegularFile(bundle);
        if (!stale) {
            long built = Files.getLastModifiedTime(bundle).toMillis();
            try (Stream<Path> sources = Stream.of(webDir.resolve("src"), webDir.resolve("static"),
                    webDir.resolve("../keyexchange/js")).flatMap(WebRig::walk)) {
                stale = sources.anyMatch(p -> lastModified(p) > built)
                        || lastModified(webDir.resolve("build.mjs")) > built
                        || lastModified(webDir.resolve("package-lock.json")) > built;
            }
        }
        if (!stale) return;
        log.info("building web/dist (node build.mjs)");
        Process build = new ProcessBuilder("node", "build.mjs").directory(webDir.toFile()).redirectErrorStream(true)
                .start();
        String output = new String(build.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!build.waitFor(120, TimeUnit.SECONDS) || build.exitValue() != 0) {
            throw new IllegalStateException("node build.mjs failed in web/ (run scripts/install-test-deps.sh): " + output);
        }
    }

    private static Stream<Path> walk(Path dir) {
        try {
            return Files.walk(dir).filter(Files::isRegularFile).toList().stream();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long lastModified(Path p) {
        try {
            return Files.getLastModifiedTime(p).toMillis();
        } catch (IOException e) {
            return Long.MAX_VALUE;
        }
    }

    String appUrl() {
        // diagnostics=1: the SFrame worker keeps plaintext samples of the page's own frames for the tap search.
        return "http://127.0.0.1:" + web.actualPort() + "/?diagnostics=1";
    }

    /** A user who can log in with {@link #PASSWORD}, acting in-process too. */
    ScriptedClient user(String localpart) {
        hs.createUser(localpart, PASSWORD);
        return hs.client(localpart);
    }

    /**
     * An encrypted room owned by {@code host} (power level 100): the bot at 50 (it publishes the call state), the
     * others joined at 0 (guests).
     */
    String encryptedRoom(String name, ScriptedClient host, ScriptedClient... guests) throws InterruptedException {
        String room = host.createRoom(RoomOptions.privateRoom(name).encrypted(true)
                .withPowerLevels(Map.of(hs.botUserId(), 50)).inviting(hs.botUserId()));
        hs.awaitEvent(room, e -> e.getString("type").equals("m.room.member")
                && hs.botUserId().equals(e.getString("state_key"))
                && "join".equals(e.getJsonObject("content").getString("membership")), TIMEOUT);
        for (ScriptedClient guest : guests) {
            host.invite(room, guest.userId());
            guest.join(room);
        }
        return room;
    }

    /** Opens the app as {@code page}, signs in through the form as {@code localpart}. */
    void signIn(String page, String localpart) throws Exception {
        pages.openUrl(page, appUrl(), "#login");
        pages.fill(page, "input[name=user]", localpart);
        pages.fill(page, "input[name=password]", PASSWORD);
        pages.click(page, "#login");
        pages.waitFor(page, "[data-screen=rooms]", "visible", TIMEOUT);
    }

    /** Opens the room, goes to the pre-join screen and joins; returns once the call page shows. */
    void join(String page, String roomId) throws Exception {
        pages.click(page, "[data-room-id='" + roomId + "']");
        pages.click(page, "#join-call");
        pages.waitFor(page, "[data-screen=prejoin] video", "visible", TIMEOUT);
        pages.click(page, "#join");
        pages.waitFor(page, "[data-screen=call]", "visible", TIMEOUT);
    }

    @Override
    public void close() throws Exception {
        try {
            pages.close();
        } finally {
            server.sfu().setPacketTap(null);
            server.close();
            hs.close();
            vertx.close().await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        }
    }
}
