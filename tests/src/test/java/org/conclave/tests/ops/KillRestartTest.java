package org.conclave.tests.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.conclave.appservice.journal.JournalReader;
import org.conclave.appservice.journal.JournalRecord;
import org.conclave.tests.call.MatrixCallBridge;
import org.conclave.tests.harness.Latencies;
import org.conclave.tests.homeserver.ChildConclave;
import org.conclave.tests.homeserver.ChildProcess;
import org.conclave.tests.homeserver.HomeserverDouble;
import org.conclave.tests.homeserver.ScriptedClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of the whole server in the middle of a three-person call, then a restart, again and again (3 rounds in the
 * suite, {@code -Dkill.rounds=20} for docs/reliability.md): after each restart the conference state the dead run
 * published is terminated (no room shows a conference nobody serves), everyone's fresh call works at once, the old
 * calls' hangups the clients send are ignored, and the journal shows no event processed twice.
 */
class KillRestartTest {
    static final int ROUNDS = Integer.getInteger("kill.rounds", 3);
    private static final int SIGKILL_EXIT = 128 + 9;
    private static final Duration START_TIMEOUT = ChildConclave.START_TIMEOUT;
    private static final String CALL_STATE = "org.conclave.call";

    @TempDir
    Path dir;

    private ChildConclave conclave;
    private HomeserverDouble hs;
    private MatrixCallBridge bridge;
    private ChildProcess child;

    @AfterEach
    void stop() throws Exception {
        if (child != null) child.close();
        if (bridge != null) bridge.close();
        if (conclave != null) conclave.close();
    }

    @Test
    void killedMidCallTheServerRestartsCleanAndCallsWorkAtOnce() throws Exception {
        conclave = ChildConclave.prepare(dir);
        hs = conclave.hs;
        ScriptedClient alice = hs.client("alice");
        ScriptedClient bob = hs.client("bob");
        ScriptedClient carol = hs.client("carol");
        bridge = new MatrixCallBridge(hs);

        child = start(0);
        String room = hs.conferenceRoom(alice, "Kill", List.of(bob, carol));
        Latencies freshCalls = new Latencies();
        Latencies restarts = new Latencies();
        Map<String, Integer> answersByCall = new LinkedHashMap<>();
        for (int round = 1; round <= ROUNDS; round++) {
            long ready = System.nanoTime();
            List<Caller> callers = new ArrayList<>();
            try {
                for (ScriptedClient u : List.of(alice, bob, carol)) callers.add(new Caller(bridge, u, room).connect());
                for (Caller x : callers) {
                    for (Caller y : callers) {
                        if (x != y) OpsRig.await("audio", OpsRig.TIMEOUT, () -> x.audioFrom(y) > 10);
                    }
                }
                freshCalls.addNanos(System.nanoTime() - ready);
                String key = awaitRunningCallState(room);

                assertThat(child.kill9()).isEqualTo(SIGKILL_EXIT);
                // The clients notice the dead connection and hang up; those events reach the next run.
                for (Caller c : callers) c.call.hangup("ice_failed");
                long killed = System.nanoTime();
                child = start(round);
                awaitTerminated(room, key);
                restarts.addNanos(System.nanoTime() - killed);
                for (Caller c : callers) answersByCall.put(c.call.callId(), answers(c));
            } finally {
                for (Caller c : callers) c.close();
            }
        }
        hs.pusher().awaitIdle(START_TIMEOUT);
        assertThat(child.terminate(Duration.ofSeconds(10))).isEqualTo(128 + 15);

        Map<String, Long> doneTwice = twice(conclave.journal(), JournalRecord.Op.DONE);
        Map<String, Long> handedAgain = twice(conclave.journal(), JournalRecord.Op.START);
        System.out.printf("kill -9 mid-call, %d rounds: from a kill to the dead run's conference state terminated by"
                + " the next (JVM start included) %s; three fresh calls answered and their audio flowing %s; units"
                + " done twice %d; units handed over again after a kill (in the handler at the kill) %d%n", ROUNDS,
                restarts, freshCalls, doneTwice.size(), handedAgain.size());
        assertThat(answersByCall).as("m.call.answer per call").allSatisfy((call, n) -> assertThat(n).isEqualTo(1));
        assertThat(doneTwice).as("units recorded done twice").isEmpty();
        assertThat(handedAgain.size()).as("units handed over again (at most those in the handler at each kill)")
                .isLessThanOrEqualTo(3 * ROUNDS);
        assertThat(runningCallStates(room)).as("call states left running").isEmpty();
    }

    private ChildProcess start(int n) throws Exception {
        return conclave.start("conclave-" + n + ".log", null,
                Map.of("CONCLAVE_APPSERVICE_HOMESERVER_TIMEOUT_MS", "5000"));
    }

    /** The current content of each call state the bot set in the room, by state key. */
    private Map<String, JsonObject> callStates(String room) {
        Map<String, JsonObject> latest = new LinkedHashMap<>();
        for (JsonObject e : hs.timeline(room)) {
            if (CALL_STATE.equals(e.getString("type")) && hs.botUserId().equals(e.getString("sender"))) {
                latest.put(e.getString("state_key"), e.getJsonObject("content"));
            }
        }
        return latest;
    }

    private List<String> runningCallStates(String room) {
        return callStates(room).entrySet().stream().filter(e -> !e.getValue().containsKey("m.terminated"))
                .map(Map.Entry::getKey).toList();
    }

    private String awaitRunningCallState(String room) {
        OpsRig.await("the conference announced", OpsRig.TIMEOUT, () -> runningCallStates(room).size() == 1);
        return runningCallStates(room).get(0);
    }

    private void awaitTerminated(String room, String key) {
        OpsRig.await("the dead run's call state " + key + " terminated", START_TIMEOUT,
                () -> callStates(room).get(key).containsKey("m.terminated"));
    }

    private int answers(Caller c) {
        return (int) hs.timeline(c.call.dmRoom()).stream().filter(e -> e.getString("sender").equals(hs.botUserId())
                && e.getString("type").equals("m.call.answer")
                && c.call.callId().equals(e.getJsonObject("content").getString("call_id"))).count();
    }

    /** Journal keys with more than one record of that kind. */
    private static Map<String, Long> twice(Path journal, JournalRecord.Op op) throws IOException {
        return JournalReader.read(journal).records().stream().filter(r -> r.op() == op)
                .collect(Collectors.groupingBy(JournalRecord::key, Collectors.counting())).entrySet().stream()
                .filter(e -> e.getValue() > 1).collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }
}
