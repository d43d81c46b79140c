package org.conclave.tests.web;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
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
import org.conclave.tests.ops.Coturn;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Conclave (SFU + appservice with the call handler) against a {@link HomeserverDouble}, a tap on everything the SFU
 * decrypts hop by hop, the built Conclave Web app ({@code web/dist}, rebuilt when a source is newer) served by
 * Conclave's own public listener, and one headless Chromium whose contexts are the people ({@link MatrixPages}).
 */
final class WebRig implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WebRig.class);
    static final String SERVER_NAME = "hs.test";
    static final String PASSWORD = "correct horse battery staple";
    static final Duration TIMEOUT = Duration.ofSeconds(60);
    static final Duration MEDIA_TIMEOUT = Duration.ofSeconds(60);
    static final long MIN_FRAMES = 20;
    /** The names people give themselves on the pre-join screen (page name -> display name). */
    static final Map<String, String> NAMES = Map.of("alice", "Alice Martin", "bob", "Bob Okafor", "carol",
            "Carol Nguyen", "dave", "Dave Schmidt", "erin", "Erin Walsh");

    final Vertx vertx;
    final ConclaveServer server;
    final HomeserverDouble hs;
    final PayloadTap tap = new PayloadTap();
    final MatrixPages pages;

    private WebRig(Vertx vertx, ConclaveServer server, HomeserverDouble hs, MatrixPages pages) {
        this.vertx = vertx;
        this.server = server;
        this.hs = hs;
        this.pages = pages;
    }

    static WebRig start(Path dir) throws Exception {
        return start(dir, null);
    }

    /**
     * With {@code turn}: Conclave hands out credentials for it ({@code POST /api/v1/turn}), which Conclave Web uses.
     * Firefox needs it here: it gathers no loopback candidates, and the SFU listens on 127.0.0.1 only; coturn on
     * loopback gives it relay candidates there.
     */
    static WebRig start(Path dir, Coturn turn) throws Exception {
        return start(dir, turn, Map.of());
    }

    /** {@link #start(Path, Coturn)} with configuration overrides as environment variables ({@code CONCLAVE_…}). */
    static WebRig start(Path dir, Coturn turn, Map<String, String> env) throws Exception {
        buildIfStale();
        String turnYaml = turn == null ? "" : "turn:\n  uris: [\"" + turn.uri() + "\"]\n  shared_secret: \""
                + turn.secret + "\"\n";
        ServerConfig config = ServerConfig.fromYaml(yaml(dir) + turnYaml, env);
        ConclaveServer server = ConclaveServer.start(config);
        Vertx vertx = Vertx.vertx();
        HomeserverDouble hs = null;
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
            WebRig rig = new WebRig(vertx, server, hs, MatrixPages.start(vertx));
            server.sfu().setPacketTap(rig.tap);
            return rig;
        } catch (Exception | Error e) {
            server.close();
            if (hs != null) hs.close();
            vertx.close();
            throw e;
        }
    }

    /**
     * ICE and DTLS get 30 s (not 10), and a page 60 s (not 30) to answer a keep-alive ping: several browser pages on 2
     * cores shared with other builds can take that long to handshake, and a starved renderer answers the SFU's
     * m.call.ping late (seen: a host page hung up for KEEP_ALIVE_TIMEOUT at a load average of 40). Rate control's
     * floor is 0: a starved renderer's delay-based estimate falls below 250 kbit/s on loopback, and the SFU then
     * rightly holds viewers on the thumbnail — which would hide what these tests measure (who gets full resolution
     * for a subscription or a spotlight); rate control has its own tests in the SFU.
     */
    private static String yaml(Path dir) {
        return """
                sfu:
                  bind_address: 127.0.0.1
                  udp_port: 0
                  ice_connect_timeout_ms: 30000
                  dtls_handshake_timeout_ms: 30000
                  keepalive_timeout_ms: 60000
                  rate_floor_bps: 0
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
                public:
                  listen_address: 127.0.0.1
                  listen_port: 0
                  web_root: %s
                admin:
                  listen_port: 0
                """.formatted(SERVER_NAME, dir.resolve("registration.yaml"), dir.resolve("appservice.journal"),
                TestPaths.webAppDir().resolve("dist").toAbsolutePath());
    }

    /** Rebuilds web/dist with {@code node build.mjs} when it is missing or older than a source. */
    static void buildIfStale() throws IOException, InterruptedException {
        Path webDir = TestPaths.webAppDir();
        Path bundle = webDir.resolve("dist/index.html");
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
        return server.front().url() + "/?diagnostics=1";
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
        signIn(page, localpart, "chromium");
    }

    /** {@link #signIn(String, String)} in "chromium" or "firefox". */
    void signIn(String page, String localpart, String browser) throws Exception {
        signIn(page, localpart, browser, "");
    }

    /** {@link #signIn(String, String, String)} with more of the app's query ({@code &name=value…}). */
    void signIn(String page, String localpart, String browser, String query) throws Exception {
        pages.openUrl(page, appUrl() + query, "#login", browser);
        pages.fill(page, "input[name=user]", localpart);
        pages.fill(page, "input[name=password]", PASSWORD);
        pages.click(page, "#login");
        pages.waitFor(page, "[data-screen=rooms]", "visible", TIMEOUT);
    }

    /**
     * Opens the room and its pre-join screen, and types the person's name for the call (a display name, as people do,
     * so that screenshots show names); returns once Join can be clicked.
     */
    void openPrejoin(String page, String roomId) throws Exception {
        pages.click(page, "[data-room-id='" + roomId + "']");
        pages.click(page, "#join-call");
        pages.waitFor(page, "#join:enabled", "visible", TIMEOUT);
        pages.fill(page, "#display-name", NAMES.getOrDefault(page, page));
    }

    /** Opens the pre-join screen and joins; returns once the call page shows. */
    void join(String page, String roomId) throws Exception {
        openPrejoin(page, roomId);
        pages.click(page, "#join");
        pages.waitFor(page, "[data-screen=call]", "visible", TIMEOUT);
    }

    /** What the page reports now ({@link PageReport#SCRIPT}). */
    PageReport report(String page) throws Exception {
        return new PageReport((JsonObject) pages.eval(page, PageReport.SCRIPT, null, TIMEOUT));
    }

    /** Polls every page until it decodes video and hears audio from every other one. */
    Map<String, PageReport> awaitAllDecoding(List<String> people) throws Exception {
        long deadline = System.nanoTime() + MEDIA_TIMEOUT.toNanos();
        Map<String, PageReport> reports = new HashMap<>();
        for (;;) {
            boolean all = true;
            for (String p : people) {
                PageReport r = report(p);
                reports.put(p, r);
                Map<String, long[]> from = r.decodedFrom();
                long others = people.stream().filter(o -> !o.equals(p)).filter(o -> {
                    long[] v = from.get("@" + o + ":" + SERVER_NAME);
                    return v != null && v[0] >= MIN_FRAMES && v[1] > 0;
                }).count();
                boolean codes = reports.values().stream().map(PageReport::checkCode).distinct().count() == 1;
                if (others != people.size() - 1 || r.checkCode() == null || !codes) all = false;
            }
            if (all) return reports;
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not every page decodes every other within " + MEDIA_TIMEOUT + ":\n"
                        + String.join("\n", reports.values().stream().map(PageReport::summary).toList())
                        + "\nwhole reports: " + reports.values().stream().map(PageReport::json).toList());
            }
            LockSupport.parkNanos(500_000_000L);
        }
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
