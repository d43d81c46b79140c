package org.conclave.tests.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.conclave.tests.cluster.ClusterCaller.AUDIO;
import static org.conclave.tests.cluster.ClusterCaller.hearEachOther;
import static org.conclave.tests.cluster.ClusterCaller.join;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.conclave.tests.homeserver.ScriptedClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14, must-show 4: three JVMs on loopback (one appservice, SFU nodes node-a and node-b), callers with real media
 * (Java peers: ICE, DTLS, SRTP with the node their conference was placed on). Conferences land on both nodes; a
 * drained node takes no new conference while a conference already on it still takes a newcomer; kill -9 of a node
 * hangs up each of its participants with {@code ice_failed} and the words within 5 s, while the other node's
 * conference goes on; they call again and hear each other through the surviving node within 10 s; nothing points at
 * the dead node; and the journal processed every unit exactly once (each call answered once, hung up at most once).
 */
class ClusterFailoverTest {
    private static final Duration HANGUP_LIMIT = Duration.ofSeconds(5);
    private static final Duration REJOIN_LIMIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    @Test
    void conferencesSpreadDrainHoldsAndAKilledNodesCallsAreHungUpThenRejoinOnTheOther() throws Exception {
        List<ClusterCaller> callers = new ArrayList<>();
        try (ClusterRig rig = new ClusterRig(dir)) {
            rig.startNode("node-a");
            rig.startNode("node-b");
            ScriptedClient alice = rig.hs.client("alice");
            ScriptedClient bob = rig.hs.client("bob");
            ScriptedClient carol = rig.hs.client("carol");
            ScriptedClient dave = rig.hs.client("dave");
            ScriptedClient erin = rig.hs.client("erin");
            ScriptedClient frank = rig.hs.client("frank");
            ScriptedClient gina = rig.hs.client("gina");
            String first = rig.conferenceRoom(alice, bob, gina);
            String second = rig.conferenceRoom(carol, dave);
            String third = rig.conferenceRoom(erin);
            String fourth = rig.conferenceRoom(frank);

            // Two conferences land on the two nodes (the second goes to the less loaded one).
            ClusterCaller a = join(rig, callers, alice, first);
            ClusterCaller b = join(rig, callers, bob, first);
            ClusterCaller c = join(rig, callers, carol, second);
            ClusterCaller d = join(rig, callers, dave, second);
            hearEachOther(a, b);
            hearEachOther(c, d);
            String kept = rig.nodeOf(first);
            String doomed = rig.nodeOf(second);
            assertThat(List.of(kept, doomed)).as("the nodes of the two conferences").containsExactlyInAnyOrder(
                    "node-a", "node-b");

            // Drained: no new conference goes there, though it is the less loaded; its running conference still
            // takes a newcomer.
            rig.admin("POST", "/admin/v1/nodes/" + kept + "/drain");
            ClusterCaller e = join(rig, callers, erin, third);
            ClusterCaller f = join(rig, callers, frank, fourth);
            ClusterCaller g = join(rig, callers, gina, first);
            assertThat(rig.nodeOf(third)).isEqualTo(doomed);
            assertThat(rig.nodeOf(fourth)).as("with 4 endpoints against 2, only the drain keeps it away")
                    .isEqualTo(doomed);
            assertThat(rig.nodeOf(first)).isEqualTo(kept);
            hearEachOther(a, g);
            rig.admin("DELETE", "/admin/v1/nodes/" + kept + "/drain");
            assertThat(rig.node(kept).getBoolean("draining")).isFalse();

            // kill -9 of the node with the second, third and fourth conferences.
            long killedAt = System.currentTimeMillis();
            rig.nodes.get(doomed).kill9();
            Map<String, Long> hangupMs = new HashMap<>();
            for (ClusterCaller x : List.of(c, d, e, f)) hangupMs.put(x.user.userId(), x.awaitNodeFailedHangup(killedAt));
            System.out.println("kill -9 of " + doomed + ": hang-up latency per participant (ms) " + hangupMs);
            assertThat(hangupMs.values()).allMatch(ms -> ms <= HANGUP_LIMIT.toMillis(), "within " + HANGUP_LIMIT);
            long heard = a.audioFrom(b);
            ClusterRig.await("the other node's conference goes on", ClusterRig.TIMEOUT, () -> a.audioFrom(b) > heard
                    + AUDIO);
            assertThat(List.of(a, b, g)).allMatch(x -> x.botEvents("m.call.hangup") == 0);

            // They call again: placed on the surviving node, and hear each other within 10 s.
            long rejoinStart = System.nanoTime();
            ClusterCaller c2 = join(rig, callers, carol, second);
            ClusterCaller d2 = join(rig, callers, dave, second);
            hearEachOther(c2, d2);
            long rejoinMs = (System.nanoTime() - rejoinStart) / 1_000_000;
            System.out.println("calling again after the kill: both placed on " + kept + " and hearing each other in "
                    + rejoinMs + " ms");
            assertThat(rejoinMs).isLessThanOrEqualTo(REJOIN_LIMIT.toMillis());
            assertThat(rig.nodeOf(second)).isEqualTo(kept);
            JsonObject dead = rig.node(doomed);
            assertThat(dead.getBoolean("alive")).isFalse();
            assertThat(dead.getInteger("placed_endpoints")).as("calls pointing at the dead node").isZero();
            assertThat(dead.getJsonArray("placed_conferences")).isEmpty();
            assertThat(rig.node(kept).getInteger("placed_endpoints")).isEqualTo(5);

            // Exactly once: every call answered once; the killed ones hung up once; every journal unit done once.
            for (ClusterCaller x : callers) {
                assertThat(x.botEvents("m.call.answer")).as("answers to " + x.call.callId()).isEqualTo(1);
                assertThat(x.botEvents("m.call.hangup")).as("hang-ups of " + x.call.callId())
                        .isEqualTo(List.of(c, d, e, f).contains(x) ? 1 : 0);
            }
            rig.hs.pusher().awaitIdle(ClusterRig.TIMEOUT);
            rig.appservice.terminate(ClusterRig.TIMEOUT); // the journal is read once its writer is gone
            rig.assertJournalProcessedEachUnitOnce();
        } finally {
            callers.forEach(ClusterCaller::close);
        }
    }
}
