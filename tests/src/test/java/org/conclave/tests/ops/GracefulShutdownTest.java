package org.conclave.tests.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.conclave.appservice.config.AppserviceConfig;
import org.conclave.appservice.journal.JournalReader;
import org.conclave.appservice.journal.JournalRecord;
import org.conclave.appservice.registration.Registration;
import org.conclave.tests.call.MatrixCallBridge;
import org.conclave.tests.homeserver.AppservicePusher;
import org.conclave.tests.homeserver.ChildProcess;
import org.conclave.tests.homeserver.HomeserverDouble;
import org.conclave.tests.homeserver.ScriptedClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM during a 3-person call, with Conclave in its own JVM as Main runs it (and appservice.server_name unset, so
 * it first learns the name from the homeserver): every participant gets m.call.hangup with a reason, the process exits
 * within 10 s, the journal holds no unit started and not done, and a restart replays nothing (no second hang-up).
 */
class GracefulShutdownTest {
    private static final Duration EXIT_LIMIT = Duration.ofSeconds(10);
    private static final int SIGTERM_EXIT = 128 + 15;
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private final Vertx vertx = Vertx.vertx();
    private HomeserverDouble hs;
    private MatrixCallBridge bridge;
    private ChildProcess child;

    @AfterEach
    void stop() throws Exception {
        if (child != null) child.close();
        if (bridge != null) bridge.close();
        if (hs != null) hs.close();
        vertx.close().await(30, TimeUnit.SECONDS);
    }

    @Test
    void sigtermHangsUpEveryCallFinishesTheJournalAndExitsInTime() throws Exception {
        int port = freePort();
        AppserviceConfig named = AppserviceConfig.defaults().withServerName(OpsRig.SERVER_NAME);
        Registration registration = Registration.generate(named, "http://127.0.0.1:" + port, new SecureRandom());
        hs = HomeserverDouble.start(vertx, registration, OpsRig.SERVER_NAME, AppservicePusher.Options.defaults());
        Path journal = dir.resolve("var/appservice.journal");
        Path registrationFile = dir.resolve("var/registration.yaml");
        Files.createDirectories(registrationFile.getParent());
        Files.writeString(registrationFile, registration.toYaml());
        Path config = dir.resolve("conclave.yaml");
        Files.writeString(config, """
                sfu:
                  bind_address: 127.0.0.1
                  udp_port: 0
                appservice:
                  homeserver_url: %s
                  listen_port: %d
                  registration_path: %s
                  journal_path: %s
                  homeserver_timeout_ms: 5000
                  homeserver_max_backoff_ms: 200
                admin:
                  listen_port: 0
                public:
                  listen_port: 0
                logging:
                  format: json
                """.formatted(hs.url(), port, registrationFile, journal));

        child = ChildProcess.product(config, dir.resolve("conclave-1.log"));
        assertThat(child.awaitLine("Server name (asked the homeserver", START_TIMEOUT)).endsWith(OpsRig.SERVER_NAME);
        child.awaitLine("Transaction journal:", START_TIMEOUT);
        OpsRig.await("the bot's display name set", START_TIMEOUT, () -> hs.displayName(hs.botUserId()) != null);

        ScriptedClient alice = hs.client("alice");
        ScriptedClient bob = hs.client("bob");
        ScriptedClient carol = hs.client("carol");
        String room = conferenceRoom(alice, bob, carol);
        bridge = new MatrixCallBridge(hs);
        try (Caller a = new Caller(bridge, alice, room).connect();
                Caller b = new Caller(bridge, bob, room).connect();
                Caller c = new Caller(bridge, carol, room).connect()) {
            List<Caller> all = List.of(a, b, c);
            for (Caller x : all) {
                for (Caller y : all) {
                    if (x != y) OpsRig.await("audio", OpsRig.TIMEOUT, () -> x.audioFrom(y) > 25);
                }
            }

            long start = System.nanoTime();
            int exit = child.terminate(EXIT_LIMIT);
            long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            System.out.println("SIGTERM during a 3-person call: exited in " + tookMs + " ms");
            assertThat(exit).isEqualTo(SIGTERM_EXIT);
            assertThat(tookMs).as("SIGTERM to exit").isLessThan(EXIT_LIMIT.toMillis());

            for (Caller x : all) {
                JsonObject hangup = x.call.awaitBotEvent("m.call.hangup", OpsRig.TIMEOUT);
                assertThat(hangup.getJsonObject("content").getString("reason")).as(x.user.userId()).isNotBlank();
                assertThat(hangup.getJsonObject("content").getString("call_id")).isEqualTo(x.call.callId());
            }
            assertThat(unfinishedUnits(journal)).as("units started but not done").isEmpty();
            everyLogLineAboutACallCarriesItsIds(dir.resolve("conclave-1.log"), room, all);

            // A restart replays nothing: the homeserver's held-back transactions are processed as new, no call is
            // hung up twice, and every unit is done.
            child = ChildProcess.product(config, dir.resolve("conclave-2.log"));
            child.awaitLine("Transaction journal:", START_TIMEOUT);
            hs.pusher().awaitIdle(START_TIMEOUT);
            for (Caller x : all) {
                assertThat(hs.timeline(x.call.dmRoom())).filteredOn(e -> e.getString("sender").equals(hs.botUserId())
                        && e.getString("type").equals("m.call.hangup")).as(x.user.userId()).hasSize(1);
            }
            assertThat(child.terminate(EXIT_LIMIT)).isEqualTo(SIGTERM_EXIT);
            assertThat(unfinishedUnits(journal)).isEmpty();
        }
    }

    private String conferenceRoom(ScriptedClient owner, ScriptedClient... members) throws InterruptedException {
        return hs.conferenceRoom(owner, "Shutdown", List.of(members));
    }

    /** logging.format json: each line naming one of the calls is JSON with that call's id and the conference's. */
    private static void everyLogLineAboutACallCarriesItsIds(Path log, String room, List<Caller> calls)
            throws IOException {
        int checked = 0;
        for (String line : Files.readAllLines(log)) {
            if (!line.startsWith("{")) continue; // what Main prints for the operator (listeners, registration)
            JsonObject json = new JsonObject(line);
            for (Caller c : calls) {
                if (!json.getString("message").contains(c.call.callId())) continue;
                assertThat(json.getString("call_id")).as(line).isEqualTo(c.call.callId());
                assertThat(json.getString("conference_id")).as(line).isEqualTo(room);
                checked++;
            }
        }
        assertThat(checked).as("log lines about the calls").isGreaterThanOrEqualTo(calls.size());
    }

    /** Units the journal recorded as started and never as done (what a restart would hand over again). */
    private static Set<String> unfinishedUnits(Path journal) throws IOException {
        Map<JournalRecord.Op, Set<String>> byOp = JournalReader.read(journal).records().stream().collect(
                Collectors.groupingBy(JournalRecord::op, Collectors.mapping(JournalRecord::key, Collectors.toSet())));
        Set<String> started = new java.util.HashSet<>(byOp.getOrDefault(JournalRecord.Op.START, Set.of()));
        started.removeAll(byOp.getOrDefault(JournalRecord.Op.DONE, Set.of()));
        assertThat(byOp.getOrDefault(JournalRecord.Op.START, Set.of())).as("the journal recorded the call").isNotEmpty();
        return started;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
