package org.conclave.tests.call;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import org.conclave.appservice.AppserviceHooks;
import org.conclave.appservice.ConclaveServer;
import org.conclave.appservice.call.CallService;
import org.conclave.appservice.config.AppserviceConfig;
import org.conclave.appservice.config.ServerConfig;
import org.conclave.appservice.registration.Registration;
import org.conclave.appservice.txn.TransactionObserver;
import org.conclave.tests.harness.SignalServer;
import org.conclave.tests.homeserver.AppservicePusher;
import org.conclave.tests.homeserver.HomeserverDouble;
import org.conclave.tests.homeserver.RoomOptions;
import org.conclave.tests.homeserver.ScriptedClient;

/**
 * Conclave as operators run it (SFU plus appservice with the call handler, configured from YAML) against a
 * {@link HomeserverDouble} on its own Vert.x instance, plus the {@link MatrixCallBridge} and a {@link SignalServer}
 * in front of it, so test peers place their calls over Matrix.
 */
final class CallRig implements AutoCloseable {
    static final String SERVER_NAME = "hs.test";
    static final Duration TIMEOUT = Duration.ofSeconds(20);
    /** The bot's device ({@code appservice.device_id}, left at its default). */
    static final String BOT_DEVICE = "CONCLAVE";
    /** Pause between two looks at something a test can only poll (a page's status). */
    static final Duration POLL = Duration.ofMillis(100);
    /** Short pause between two looks at something only observable by asking (the SFU's endpoint count). */
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    /**
     * @param hostPowerLevel {@code calls.host_power_level}
     * @param iceConnectTimeoutMs {@code sfu.ice_connect_timeout_ms}
     * @param allowedServers {@code calls.allowed_servers}
     * @param keepaliveIntervalMs {@code sfu.keepalive_interval_ms}
     * @param keepaliveTimeoutMs {@code sfu.keepalive_timeout_ms}
     */
    record Settings(int hostPowerLevel, int iceConnectTimeoutMs, List<String> allowedServers, int keepaliveIntervalMs,
            int keepaliveTimeoutMs) {
        static Settings defaults() {
            return new Settings(50, 10_000, List.of("*"), 30_000, 30_000);
        }

        Settings withIceConnectTimeoutMs(int value) {
            return new Settings(hostPowerLevel, value, allowedServers, keepaliveIntervalMs, keepaliveTimeoutMs);
        }

        Settings withAllowedServers(String... servers) {
            return new Settings(hostPowerLevel, iceConnectTimeoutMs, List.of(servers), keepaliveIntervalMs,
                    keepaliveTimeoutMs);
        }

        Settings withKeepalive(int intervalMs, int timeoutMs) {
            return new Settings(hostPowerLevel, iceConnectTimeoutMs, allowedServers, intervalMs, timeoutMs);
        }
    }

    final Vertx hsVertx;
    final ConclaveServer server;
    final HomeserverDouble hs;
    final MatrixCallBridge bridge;
    final SignalServer signal;

    private CallRig(Vertx hsVertx, ConclaveServer server, HomeserverDouble hs, MatrixCallBridge bridge,
            SignalServer signal) {
        this.hsVertx = hsVertx;
        this.server = server;
        this.hs = hs;
        this.bridge = bridge;
        this.signal = signal;
    }

    static CallRig start(Path dir) throws Exception {
        return start(dir, Settings.defaults());
    }

    static CallRig start(Path dir, Settings settings) throws Exception {
        ServerConfig config = ServerConfig.fromYaml(yaml(dir, settings), Map.of());
        ConclaveServer server = ConclaveServer.start(config);
        Vertx hsVertx = Vertx.vertx();
        HomeserverDouble hs = null;
        MatrixCallBridge bridge = null;
        try {
            Registration registration = Registration.generate(config.appservice(), server.api().url(),
                    new SecureRandom());
            hs = HomeserverDouble.start(hsVertx, registration, SERVER_NAME, AppservicePusher.Options.defaults());
            AppserviceConfig a = config.appservice();
            AppserviceConfig wired = a.withHomeserver(hs.url(), a.homeserverTimeoutMs(), a.homeserverMaxAttempts(),
                    a.homeserverMaxBackoffMs());
            // What Main runs by default, built the same way.
            server.startAppservice(wired, registration, new AppserviceHooks(
                    running -> CallService.create(running.vertx(), running.sfu().control(),
                            running.matrix().bot(), config), TransactionObserver.NONE));
            server.bootstrapped().await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            bridge = new MatrixCallBridge(hs);
            return new CallRig(hsVertx, server, hs, bridge, new SignalServer(bridge));
        } catch (Exception | Error e) {
            if (bridge != null) bridge.close();
            server.close();
            if (hs != null) hs.close();
            hsVertx.close();
            throw e;
        }
    }

    private static String yaml(Path dir, Settings s) {
        return """
                sfu:
                  bind_address: 127.0.0.1
                  udp_port: 0
                  ice_connect_timeout_ms: %d
                  keepalive_interval_ms: %d
                  keepalive_timeout_ms: %d
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
                public:
                  listen_port: 0
                calls:
                  allowed_servers: [%s]
                  host_power_level: %d
                  require_e2ee_in_encrypted_rooms: true
                """.formatted(s.iceConnectTimeoutMs(), s.keepaliveIntervalMs(), s.keepaliveTimeoutMs(), SERVER_NAME,
                dir.resolve("registration.yaml"),
                dir.resolve("appservice.journal"),
                String.join(", ", s.allowedServers().stream().map(v -> "\"" + v + "\"").toList()),
                s.hostPowerLevel());
    }

    ScriptedClient user(String localpart) {
        return hs.client(localpart);
    }

    String bot() {
        return hs.botUserId();
    }

    /**
     * An unencrypted conference room owned by {@code owner} (power level 100): the bot is invited with power level
     * 50 (enough to publish the call state) and has joined, {@code members} have joined at power level 0.
     */
    String conferenceRoom(ScriptedClient owner, ScriptedClient... members) throws InterruptedException {
        return conferenceRoom(owner, Map.of(), members);
    }

    /** Same, with these power levels besides the owner's and the bot's. */
    String conferenceRoom(ScriptedClient owner, Map<String, Integer> levels, ScriptedClient... members)
            throws InterruptedException {
        Map<String, Integer> all = new HashMap<>(levels);
        all.put(bot(), 50);
        String room = owner.createRoom(RoomOptions.privateRoom("Weekly sync").withPowerLevels(all).inviting(bot()));
        awaitMembership(room, bot(), "join");
        for (ScriptedClient member : members) {
            owner.invite(room, member.userId());
            member.join(room);
        }
        return room;
    }

    void awaitMembership(String room, String userId, String membership) throws InterruptedException {
        hs.awaitEvent(room, e -> e.getString("type").equals("m.room.member")
                && userId.equals(e.getString("state_key"))
                && membership.equals(e.getJsonObject("content").getString("membership")), TIMEOUT);
    }

    /** The bot's first event in {@code room} of that type and matching, waiting up to the rig's timeout. */
    JsonObject awaitBotEvent(String room, String type, Predicate<JsonObject> match) throws InterruptedException {
        return hs.awaitEvent(room, e -> e.getString("sender").equals(bot()) && e.getString("type").equals(type)
                && match.test(e), TIMEOUT);
    }

    /** The SFU's endpoint count now. */
    int endpointCount() throws Exception {
        return server.sfu().conferences().endpointCount().toCompletableFuture()
                .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Waits until the SFU has exactly {@code n} endpoints. */
    void awaitEndpointCount(int n, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        int count;
        while ((count = endpointCount()) != n) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the SFU has " + count + " endpoints, not " + n + ", after " + timeout);
            }
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
