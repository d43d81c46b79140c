package org.conclave.tests.ops;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.conclave.appservice.AppserviceHooks;
import org.conclave.appservice.ConclaveServer;
import org.conclave.appservice.call.CallService;
import org.conclave.appservice.config.AppserviceConfig;
import org.conclave.appservice.config.ServerConfig;
import org.conclave.appservice.ops.admin.EffectiveConfig;
import org.conclave.appservice.ops.metrics.CallMetrics;
import org.conclave.appservice.registration.Registration;
import org.conclave.appservice.txn.Transaction;
import org.conclave.appservice.txn.TransactionObserver;
import org.conclave.appservice.txn.TransactionTiming;
import org.conclave.sfu.config.ConfigSource;
import org.conclave.tests.call.MatrixCallBridge;
import org.conclave.tests.harness.SignalServer;
import org.conclave.tests.homeserver.AppservicePusher;
import org.conclave.tests.homeserver.HomeserverDouble;
import org.conclave.tests.homeserver.ScriptedClient;

/**
 * Conclave as operators run it (SFU, appservice with the call handler, the admin and public listeners, configured from
 * YAML with an admin token) against a {@link HomeserverDouble}, with a {@link MatrixCallBridge} for callers and a
 * {@link SignalServer} in front of it for browser and script peers. HTTP helpers talk to its listeners.
 */
final class OpsRig implements AutoCloseable {
    static final String SERVER_NAME = "hs.test";
    static final Duration TIMEOUT = Duration.ofSeconds(20);
    static final String ADMIN_TOKEN = "admin-0123456789abcdef0123456789abcdef";
    static final String METRICS_TOKEN = "metrics-0123456789abcdef0123456789abcdef";
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    final Vertx hsVertx;
    final ConclaveServer server;
    final HomeserverDouble hs;
    final MatrixCallBridge bridge;
    final SignalServer signal;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /**
     * The appservice's timing of every transaction it acknowledged, by transaction id (the last delivery of each),
     * on the JVM's {@link System#nanoTime} as the homeserver double's: what the double's own times cannot tell apart.
     */
    final Map<String, TransactionTiming> answered;

    private OpsRig(Vertx hsVertx, ConclaveServer server, HomeserverDouble hs, MatrixCallBridge bridge,
            SignalServer signal, Map<String, TransactionTiming> answered) {
        this.answered = answered;
        this.hsVertx = hsVertx;
        this.server = server;
        this.hs = hs;
        this.bridge = bridge;
        this.signal = signal;
    }

    /** @param extraYaml more sections (e.g. {@code turn:}) */
    static OpsRig start(Path dir, String extraYaml) throws Exception {
        return start(dir, extraYaml, Map.of());
    }

    /** @param env overrides as the environment gives them ({@code CONCLAVE_<SECTION>_<KEY>}) */
    static OpsRig start(Path dir, String extraYaml, Map<String, String> env) throws Exception {
        ConfigSource source = ConfigSource.fromYaml(yaml(dir) + extraYaml, "<ops test>", env);
        ServerConfig config = ServerConfig.read(source);
        ConclaveServer server = ConclaveServer.start(config, EffectiveConfig.masked(source.resolved()));
        Vertx hsVertx = Vertx.vertx();
        Map<String, TransactionTiming> answered = new ConcurrentHashMap<>();
        HomeserverDouble hs = null;
        MatrixCallBridge bridge = null;
        try {
            Registration registration = Registration.generate(config.appservice(), server.api().url(),
                    new SecureRandom());
            hs = HomeserverDouble.start(hsVertx, registration, SERVER_NAME, AppservicePusher.Options.defaults());
            AppserviceConfig a = config.appservice();
            AppserviceConfig wired = a.withHomeserver(hs.url(), a.homeserverTimeoutMs(), a.homeserverMaxAttempts(),
                    a.homeserverMaxBackoffMs());
            server.startAppservice(wired, registration, new AppserviceHooks(running -> {
                CallService calls = CallService.create(running.vertx(), running.sfu().control(),
                        running.matrix().bot(), config);
                CallMetrics.bind(running.meterRegistry(), calls.limits()); // as Main does
                return calls;
            }, new TransactionObserver() {
                @Override
                public void beforeAcknowledge(Transaction txn) {}

                @Override
                public void onAnswered(Transaction txn, TransactionTiming timing) {
                    answered.put(txn.txnId(), timing);
                }
            }));
            server.bootstrapped().await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            bridge = new MatrixCallBridge(hs);
            return new OpsRig(hsVertx, server, hs, bridge, new SignalServer(bridge), answered);
        } catch (Exception | Error e) {
            if (bridge != null) bridge.close();
            server.close();
            if (hs != null) hs.close();
            hsVertx.close();
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
                  dedupe_window_events: 1000
                  event_timeout_ms: 10000
                  homeserver_timeout_ms: 5000
                  homeserver_max_attempts: 4
                  homeserver_max_backoff_ms: 100
                admin:
                  listen_port: 0
                  token: %s
                  metrics_token: %s
                public:
                  listen_port: 0
                """.formatted(SERVER_NAME, dir.resolve("registration.yaml"), dir.resolve("appservice.journal"),
                ADMIN_TOKEN, METRICS_TOKEN);
    }

    String bot() {
        return hs.botUserId();
    }

    /** A room owned by {@code owner} (power 100, a host) with the bot (50) and {@code members} (0, guests) joined. */
    String conferenceRoom(ScriptedClient owner, ScriptedClient... members) throws InterruptedException {
        return hs.conferenceRoom(owner, "Ops sync", List.of(members));
    }

    // ---- HTTP to Conclave's listeners ---------------------------------------------------------------------------

    HttpResponse<String> admin(String method, String path, String token) throws Exception {
        return send(method, server.admin().url() + path, token, null);
    }

    HttpResponse<String> send(String method, String url, String token, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) b.header("Authorization", "Bearer " + token);
        if (body != null) b.header("Content-Type", "application/json");
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    JsonObject adminJson(String method, String path) throws Exception {
        HttpResponse<String> r = admin(method, path, ADMIN_TOKEN);
        if (r.statusCode() != 200) throw new AssertionError(method + " " + path + " -> " + r.statusCode() + " " + r.body());
        return new JsonObject(r.body());
    }

    /** One scrape of /metrics. */
    PromText scrape() throws Exception {
        HttpResponse<String> r = admin("GET", "/metrics", METRICS_TOKEN);
        if (r.statusCode() != 200) throw new AssertionError("/metrics -> " + r.statusCode() + " " + r.body());
        return PromText.parse(r.body());
    }

    /** Polls {@code done} every 20 ms until it holds or the timeout passes (then fails with {@code what}). */
    static void await(String what, Duration timeout, BooleanSupplier done) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("not within " + timeout + ": " + what);
            LockSupport.parkNanos(POLL_NANOS);
        }
    }

    @Override
    public void close() throws Exception {
        signal.close();
        bridge.close();
        server.close();
        hs.close();
        hsVertx.close().await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }
}
