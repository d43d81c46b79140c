package org.conclave.tests.cluster;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.conclave.appservice.config.AppserviceConfig;
import org.conclave.appservice.registration.Registration;
import org.conclave.tests.call.MatrixCallBridge;
import org.conclave.tests.homeserver.AppservicePusher;
import org.conclave.tests.homeserver.ChildProcess;
import org.conclave.tests.homeserver.HomeserverDouble;
import org.conclave.tests.homeserver.RoomOptions;
import org.conclave.tests.homeserver.ScriptedClient;

/**
 * A cluster on loopback, every part in its own JVM as operators run it ({@code Main} with a YAML file): one appservice
 * ({@code cluster.role: appservice}) and SFU nodes ({@code role: sfu}) that join it by its Hazelcast port, every port
 * ephemeral. The {@link HomeserverDouble} and the callers run in the test's JVM; admin calls go to the appservice's
 * admin API.
 */
final class ClusterRig implements AutoCloseable {
    static final String SERVER_NAME = "hs.test";
    static final String ADMIN_TOKEN = "admin-0123456789abcdef0123456789abcdef";
    static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    final Path dir;
    final Vertx vertx = Vertx.vertx();
    final HomeserverDouble hs;
    final Path journal;
    ChildProcess appservice;
    String member;
    String adminUrl;
    MatrixCallBridge bridge;
    final Map<String, ChildProcess> nodes = new HashMap<>();
    private final List<ChildProcess> children = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    ClusterRig(Path dir) throws Exception {
        this.dir = dir;
        this.journal = dir.resolve("appservice.journal");
        AppserviceConfig named = AppserviceConfig.defaults().withServerName(SERVER_NAME);
        Registration registration = Registration.generate(named, "http://127.0.0.1:1", new SecureRandom());
        hs = HomeserverDouble.start(vertx, registration, SERVER_NAME, AppservicePusher.Options.defaults());
        try {
            appservice = startAppservice(registration);
            member = appservice.awaitLine("Cluster: ", START_TIMEOUT).replaceFirst(".* member ([^,]+),.*", "$1");
            hs.appserviceUrl(appservice.awaitLine("Appservice API: ", START_TIMEOUT)
                    .substring("Appservice API: ".length()));
            adminUrl = appservice.awaitLine("Metrics and admin API: ", START_TIMEOUT)
                    .replaceFirst("Metrics and admin API: (http://[^/]+)/metrics.*", "$1");
            appservice.awaitLine("Transaction journal:", START_TIMEOUT);
            await("the bot's display name set", START_TIMEOUT, () -> hs.displayName(hs.botUserId()) != null);
        } catch (Exception | Error e) {
            close();
            throw e;
        }
        bridge = new MatrixCallBridge(hs);
    }

    private ChildProcess startAppservice(Registration registration) throws Exception {
        Path registrationFile = dir.resolve("registration.yaml");
        Files.writeString(registrationFile, registration.toYaml());
        Path config = dir.resolve("appservice.yaml");
        Files.writeString(config, """
                appservice:
                  homeserver_url: %s
                  server_name: %s
                  listen_port: 0
                  registration_path: %s
                  journal_path: %s
                  homeserver_timeout_ms: 5000
                  homeserver_max_backoff_ms: 200
                admin:
                  listen_port: 0
                  token: %s
                public:
                  listen_port: 0
                cluster:
                  role: appservice
                  port: 0
                  event_bus_port: 0
                """.formatted(hs.url(), SERVER_NAME, registrationFile, journal, ADMIN_TOKEN));
        return start(config, "appservice");
    }

    /** Starts an SFU node named {@code name} that joins the appservice; returns once the appservice hears it. */
    ChildProcess startNode(String name) throws Exception {
        Path config = dir.resolve(name + ".yaml");
        Files.writeString(config, """
                sfu:
                  bind_address: 127.0.0.1
                  udp_port: 0
                admin:
                  listen_port: 0
                cluster:
                  role: sfu
                  node_name: %s
                  port: 0
                  event_bus_port: 0
                  members: [%s]
                """.formatted(name, member));
        ChildProcess node = start(config, name);
        nodes.put(name, node);
        node.awaitLine("SFU media: ", START_TIMEOUT);
        await("the appservice hears node " + name, START_TIMEOUT, () -> node(name) != null && node(name)
                .getBoolean("alive"));
        return node;
    }

    private ChildProcess start(Path config, String name) throws Exception {
        ChildProcess child = ChildProcess.product(config, dir.resolve(name + ".log"));
        children.add(child);
        return child;
    }

    // ---- the appservice's admin API ------------------------------------------------------------------------------

    JsonArray nodes() {
        return admin("GET", "/admin/v1/nodes").getJsonArray("nodes");
    }

    /** The node as the appservice lists it, or null. */
    JsonObject node(String name) {
        for (Object o : nodes()) {
            if (((JsonObject) o).getString("name").equals(name)) return (JsonObject) o;
        }
        return null;
    }

    /** The node the appservice placed {@code conference} on, or null. */
    String nodeOf(String conference) {
        for (Object o : nodes()) {
            JsonObject n = (JsonObject) o;
            if (n.getJsonArray("placed_conferences").contains(conference)) return n.getString("name");
        }
        return null;
    }

    JsonObject admin(String method, String path) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(adminUrl + path)).timeout(TIMEOUT)
                    .method(method, HttpRequest.BodyPublishers.noBody())
                    .header("Authorization", "Bearer " + ADMIN_TOKEN).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) throw new AssertionError(method + " " + path + " -> " + r.statusCode() + " "
                    + r.body());
            return new JsonObject(r.body());
        } catch (java.io.IOException e) {
            throw new AssertionError(method + " " + path + " failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted");
        }
    }

    // ---- rooms -------------------------------------------------------------------------------------------------

    /** A conference room owned by {@code owner} with the bot (power 50) and {@code members} joined. */
    String conferenceRoom(ScriptedClient owner, ScriptedClient... members) throws InterruptedException {
        Map<String, Integer> levels = new HashMap<>();
        levels.put(hs.botUserId(), 50);
        String room = owner.createRoom(RoomOptions.privateRoom("Cluster").withPowerLevels(levels)
                .inviting(hs.botUserId()));
        hs.awaitEvent(room, e -> e.getString("type").equals("m.room.member")
                && hs.botUserId().equals(e.getString("state_key"))
                && "join".equals(e.getJsonObject("content").getString("membership")), TIMEOUT);
        for (ScriptedClient member : members) {
            owner.invite(room, member.userId());
            member.join(room);
        }
        return room;
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
        if (bridge != null) bridge.close();
        for (ChildProcess c : children) c.close();
        hs.close();
        vertx.close().await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }
}
