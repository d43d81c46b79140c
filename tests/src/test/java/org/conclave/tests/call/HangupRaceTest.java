package org.conclave.tests.call;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.conclave.sfu.conference.ConferenceService;
import org.conclave.tests.homeserver.ScriptedClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11, must-show 3: clients that close their peer connection right after sending {@code m.call.hangup}, as
 * matrix-js-sdk does. The DTLS close reaches the SFU before the hangup reaches the bot most of the time; either way
 * the bot sends nothing back (no {@code m.call.hangup}, no notice) and every endpoint is freed.
 *
 * <p>Correct with either SFU: one that reports the client's DTLS close as {@code CloseCause.CLIENT}, and the one
 * before that wiring, which reports it as {@code CONTROL}; the bot ends the call quietly for both.
 */
class HangupRaceTest {
    private static final int CALLERS = 5;
    private static final int CALLS_EACH = 20;

    @TempDir
    Path dir;

    @Test
    void aHundredHangupsFollowedAtOnceByTheClientsCloseAreNotAnswered() throws Exception {
        try (CallRig rig = CallRig.start(dir); LogLines sfuLog = new LogLines(ConferenceService.class)) {
            List<String> rooms = new ArrayList<>();
            List<ScriptedClient> users = new ArrayList<>();
            for (int i = 0; i < CALLERS; i++) {
                ScriptedClient user = rig.user("caller" + i);
                users.add(user);
                // One conference per caller: no re-offers from the others' media.
                rooms.add(rig.conferenceRoom(user));
                rig.bridge.directRoom(user);
            }
            ExecutorService pool = Executors.newFixedThreadPool(CALLERS);
            try {
                List<Future<List<String>>> runs = new ArrayList<>();
                for (int i = 0; i < CALLERS; i++) {
                    ScriptedClient user = users.get(i);
                    String room = rooms.get(i);
                    runs.add(pool.submit(() -> hangUpRepeatedly(rig, user, room)));
                }
                List<String> callIds = new ArrayList<>();
                for (Future<List<String>> run : runs) callIds.addAll(run.get(5, TimeUnit.MINUTES));
                assertThat(callIds).hasSize(CALLERS * CALLS_EACH).doesNotHaveDuplicates();
            } finally {
                pool.shutdownNow();
            }
            rig.awaitEndpointCount(0, CallRig.TIMEOUT);
            rig.hs.pusher().awaitIdle(CallRig.TIMEOUT);

            for (ScriptedClient user : users) {
                List<String> fromBot = rig.hs.timeline(rig.bridge.directRoom(user)).stream()
                        .filter(e -> e.getString("sender").equals(rig.bot()) && !e.containsKey("state_key"))
                        .map(e -> e.getString("type")).toList();
                assertThat(fromBot).as(user.userId()).hasSize(2 * CALLS_EACH)
                        .containsOnly(CallContent.ANSWER, CallContent.CANDIDATES);
            }
            // Which side won each race (for the record; both are correct).
            long dtlsFirst = sfuLog.lines().stream().filter(l -> l.endsWith("closed: the client closed DTLS")).count();
            System.out.println("HangupRaceTest: the client's DTLS close reached the SFU first in " + dtlsFirst + " of "
                    + CALLERS * CALLS_EACH + " hangups");
        }
    }

    /** Calls, and once connected and announced, hangs up and closes at once; waits for the conference's end. */
    private static List<String> hangUpRepeatedly(CallRig rig, ScriptedClient user, String room) throws Exception {
        List<String> callIds = new ArrayList<>();
        for (int n = 0; n < CALLS_EACH; n++) {
            int timelineBefore = rig.hs.timeline(room).size();
            JavaCaller caller = JavaCaller.open(rig.bridge, user, room);
            try {
                caller.connect();
                String groupCallId = awaitCallState(rig, room, timelineBefore, false, null);

                caller.call.hangup("user_hangup");
                caller.peer.close();

                // The bot ends the conference it announced: everything about this call is done by then.
                awaitCallState(rig, room, timelineBefore, true, groupCallId);
                callIds.add(caller.call.callId());
            } finally {
                caller.close();
            }
        }
        return callIds;
    }

    /** The state key of the bot's call state event after {@code from} that is (or is not) terminated. */
    private static String awaitCallState(CallRig rig, String room, int from, boolean terminated, String key)
            throws InterruptedException {
        long deadline = System.nanoTime() + CallRig.TIMEOUT.toNanos();
        int position = from;
        while (true) {
            List<JsonObject> events = rig.hs.awaitTimelineFrom(room, position, Duration.ofMillis(500));
            position += events.size();
            for (JsonObject e : events) {
                if (e.getString("type").equals(CallContent.CALL_STATE) && e.getString("sender").equals(rig.bot())
                        && e.getJsonObject("content").containsKey("m.terminated") == terminated
                        && (key == null || key.equals(e.getString("state_key")))) {
                    return e.getString("state_key");
                }
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no " + (terminated ? "terminated " : "") + "call state in " + room);
            }
        }
    }
}
