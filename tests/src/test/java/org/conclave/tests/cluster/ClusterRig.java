package org.conclave.tests.cluster;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.conclave.appservice.config.AppserviceConfig;
import org.conclave.appservice.journal.JournalReader;
import org.conclave.appservice.journal.JournalRecord;
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
 * admin API or a node's own. A node can be killed, or frozen ({@code kill -STOP}: alive, silent, its sockets open)
 * and resumed, as a long pause, an overloaded host or a partition that heals looks to the others.
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
    private final Map<String, String> nodeAdminUrls = new HashMap<>();
    private final Set<String> frozen = new HashSet<>();
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
            adminUrl = adminUrl(appservice);
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
                  token: %s
                cluster:
                  role: sfu
                  node_name: %s
                  port: 0
                  event_bus_port: 0
                  members: [%s]
                """.formatted(ADMIN_TOKEN, name, member));
        ChildProcess node = start(config, name);
        nodes.put(name, node);
        node.awaitLine("SFU media: ", START_TIMEOUT);
        nodeAdminUrls.put(name, adminUrl(node));
        await("the appservice hears node " + name, START_TIMEOUT, () -> node(name) != null && node(name)
                .getBoolean("alive"));
        return node;
    }

    private static String adminUrl(ChildProcess child) throws InterruptedException {
        return child.awaitLine("Metrics and admin API: ", START_TIMEOUT)
                .replaceFirst("Metrics and admin API: (http://[^/]+)/metrics.*", "$1");
    }

    // ---- freezing a node ---------------------------------------------------------------------------------------

    /** {@code kill -STOP} of the node's JVM; returns once the kernel shows it stopped. */
    void freeze(String name) throws Exception {
        ProcessHandle process = ProcessHandle.of(nodes.get(name).pid()).orElseThrow(() -> new AssertionError(
                "node " + name + " is not running"));
        signal("STOP", process);
        frozen.add(name);
        await("node " + name + " stopped", TIMEOUT, () -> stopped(process));
    }

    /** {@code kill -CONT} of a frozen node. */
    void resume(String name) throws Exception {
        signal("CONT", ProcessHandle.of(nodes.get(name).pid()).orElseThrow());
        frozen.remove(name);
    }

    private static void signal(String signal, ProcessHandle process) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).inheritIO().start();
        if (!kill.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS) || kill.exitValue() != 0) {
            throw new AssertionError("kill -" + signal + " " + process.pid() + " failed");
        }
    }

    /** The state field of /proc/<pid>/stat: T when stopped by a signal. */
    private static boolean stopped(ProcessHandle process) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
            return stat.substring(stat.lastIndexOf(')') + 2).startsWith("T");
        } catch (java.io.IOException e) {
            throw new AssertionError("cannot read the state of process " + process.pid() + ": " + e);
        }
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
        return admin(adminUrl, method, path);
    }

    /** A sample of the appservice's metrics, e.g. {@code conclave_cluster_node_failures_total}. */
    double appserviceMetric(String name) {
        try {
            String text = http.send(HttpRequest.newBuilder(URI.create(adminUrl + "/metrics")).timeout(TIMEOUT).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            return text.lines().filter(l -> l.startsWith(name + " ") || l.startsWith(name + "{")).findFirst()
                    .map(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                    .orElseThrow(() -> new AssertionError("no metric " + name));
        } catch (java.io.IOException e) {
            throw new AssertionError("GET /metrics failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted");
        }
    }

    /** A call to the node's own admin API. */
    JsonObject nodeAdmin(String name, String method, String path) {
        return admin(nodeAdminUrls.get(name), method, path);
    }

    /** What the node itself holds, by its own admin API: {@code conferences} and {@code endpoints} (counts). */
    JsonObject nodeHolds(String name) {
        return nodeAdmin(name, "GET", "/admin/v1/drain");
    }

    private JsonObject admin(String url, String method, String path) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url + path)).timeout(TIMEOUT)
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

    /** Every unit started was done, and none was started or done twice (read once the appservice is stopped). */
    void assertJournalProcessedEachUnitOnce() throws java.io.IOException {
        Map<JournalRecord.Op, List<String>> byOp = JournalReader.read(journal).records().stream().collect(
                Collectors.groupingBy(JournalRecord::op, Collectors.mapping(JournalRecord::key, Collectors.toList())));
        List<String> started = byOp.getOrDefault(JournalRecord.Op.START, List.of());
        List<String> done = byOp.getOrDefault(JournalRecord.Op.DONE, List.of());
        assertThat(started).as("units the journal recorded").isNotEmpty().doesNotHaveDuplicates();
        assertThat(done).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(started);
    }

    @Override
    public void close() throws Exception {
        for (String name : List.copyOf(frozen)) resume(name); // a stopped JVM would not stop on SIGTERM
        if (bridge != null) bridge.close();
        for (ChildProcess c : children) c.close();
        hs.close();
        vertx.close().await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }
}
