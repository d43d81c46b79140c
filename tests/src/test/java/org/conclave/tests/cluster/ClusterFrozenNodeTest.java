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
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14, a node that is not dead but frozen ({@code kill -STOP}: a long pause, an overloaded host, a partition
 * that heals), in the three-JVM cluster on loopback of {@link ClusterFailoverTest}. While it is frozen its callers are
 * hung up with {@code ice_failed} and the words within 5 s, the other node's conference goes on, and they call again
 * and hear each other on the other node within 10 s. Once resumed ({@code kill -CONT}), the node still holds the
 * endpoints the appservice forgot: it must end them itself (its own admin API shows nothing left) long before ICE
 * consent would expire, their late events must reach no one (no hang-up, no notice, nothing processed twice), and the
 * appservice must count it alive again once it is back in the cluster (one failure, not a flapping node) and place a
 * new conference on it, whose callers hear each other.
 */
class ClusterFrozenNodeTest {
    private static final Duration HANGUP_LIMIT = Duration.ofSeconds(5);
    private static final Duration REJOIN_LIMIT = Duration.ofSeconds(10);
    /**
     * The resumed node ends its stale endpoints when the close requests the appservice sent it arrive (they wait in
     * its socket when sent before the appservice's Hazelcast removed it), or else when its own Hazelcast learns it
     * was removed (its first heartbeats to the cluster draw an explicit suspicion; at worst its failure detector,
     * {@code node_timeout_ms} = 3 s) and it closes the endpoints of the appservice it no longer sees. 10 s leaves
     * room for a loaded machine and stays well under ICE consent expiry (30 s after the clients stopped), which is
     * all that would end them otherwise.
     */
    private static final Duration STALE_LIMIT = Duration.ofSeconds(10);
    /**
     * Back in the cluster: its failure detector isolates it (at most 3 s), then its search for other clusters (every
     * node timeout, 3 s) finds the appservice's and merges into it (a few seconds), then a heartbeat (1 s).
     */
    private static final Duration BACK_LIMIT = Duration.ofSeconds(30);

    @TempDir(cleanup = CleanupMode.ON_SUCCESS) // the JVMs' logs stay when it fails
    Path dir;

    @Test
    void aFrozenNodesCallsMoveAndOnceResumedItEndsWhatItHeldAndTakesNewConferences() throws Exception {
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
            String first = rig.conferenceRoom(alice, bob);
            String second = rig.conferenceRoom(carol, dave);
            String third = rig.conferenceRoom(erin, frank);

            ClusterCaller a = join(rig, callers, alice, first);
            ClusterCaller b = join(rig, callers, bob, first);
            ClusterCaller c = join(rig, callers, carol, second);
            ClusterCaller d = join(rig, callers, dave, second);
            hearEachOther(a, b);
            hearEachOther(c, d);
            String kept = rig.nodeOf(first);
            String frozen = rig.nodeOf(second);
            assertThat(List.of(kept, frozen)).containsExactlyInAnyOrder("node-a", "node-b");
            assertHolds(rig, frozen, 1, 2);

            // Frozen: its callers are hung up in words; the other node's conference goes on.
            long frozenAt = System.currentTimeMillis();
            rig.freeze(frozen);
            Map<String, Long> hangupMs = new HashMap<>();
            for (ClusterCaller x : List.of(c, d)) hangupMs.put(x.user.userId(), x.awaitNodeFailedHangup(frozenAt));
            System.out.println("kill -STOP of " + frozen + ": hang-up latency per participant (ms) " + hangupMs);
            assertThat(hangupMs.values()).allMatch(ms -> ms <= HANGUP_LIMIT.toMillis(), "within " + HANGUP_LIMIT);
            c.close(); // their clients stop, as on any hang-up: no more media, no more ICE consent checks
            d.close();
            long heard = a.audioFrom(b);
            ClusterRig.await("the other node's conference goes on", ClusterRig.TIMEOUT,
                    () -> a.audioFrom(b) > heard + AUDIO);

            long rejoinStart = System.nanoTime();
            ClusterCaller c2 = join(rig, callers, carol, second);
            ClusterCaller d2 = join(rig, callers, dave, second);
            hearEachOther(c2, d2);
            long rejoinMs = (System.nanoTime() - rejoinStart) / 1_000_000;
            System.out.println("calling again while " + frozen + " is frozen: placed on " + kept
                    + " and hearing each other in " + rejoinMs + " ms");
            assertThat(rejoinMs).isLessThanOrEqualTo(REJOIN_LIMIT.toMillis());
            assertThat(rig.nodeOf(second)).isEqualTo(kept);
            JsonObject dead = rig.node(frozen);
            assertThat(dead.getBoolean("alive")).isFalse();
            assertThat(dead.getInteger("placed_endpoints")).as("calls pointing at the frozen node").isZero();

            // Told in words: one hang-up and one notice each, and nothing to the others.
            for (ClusterCaller x : List.of(c, d)) {
                ClusterRig.await("the notice to " + x.user.userId(), ClusterRig.TIMEOUT,
                        () -> botSaid(rig, x.call.dmRoom(), 0).size() == 2);
                assertThat(botSaid(rig, x.call.dmRoom(), 0)).filteredOn(m -> m.startsWith("m.room.message"))
                        .singleElement().asString().contains("node your call was on failed");
            }
            assertThat(List.of(a, b)).allMatch(x -> botSaid(rig, x.call.dmRoom(), 0).isEmpty());

            // Resumed: it still holds the two endpoints the appservice forgot, and must end them itself.
            Map<String, Integer> dmSeen = timelineSizes(rig, callers);
            long resumedAt = System.nanoTime();
            rig.resume(frozen);
            ClusterRig.await(frozen + " ends the endpoints it held", STALE_LIMIT, () -> {
                JsonObject holds = rig.nodeHolds(frozen);
                return holds.getInteger("endpoints") == 0 && holds.getInteger("conferences") == 0;
            });
            long staleMs = (System.nanoTime() - resumedAt) / 1_000_000;
            System.out.println("kill -CONT of " + frozen + ": its stale endpoints ended after " + staleMs + " ms");
            ClusterRig.await("the appservice counts " + frozen + " alive again", BACK_LIMIT,
                    () -> rig.node(frozen).getBoolean("alive"));
            long backMs = (System.nanoTime() - resumedAt) / 1_000_000;
            System.out.println("kill -CONT of " + frozen + ": alive again for the appservice after " + backMs + " ms");
            assertThat(rig.node(frozen).getInteger("placed_endpoints")).as("with nothing on it").isZero();
            assertThat(rig.appserviceMetric("conclave_cluster_node_failures_total")).as("one failure, no flapping")
                    .isEqualTo(1.0);
            assertThat(rig.appserviceMetric("conclave_cluster_endpoints_lost_total")).isEqualTo(2.0);

            // Placed on again: with the other node drained, a new conference lands on the resumed node.
            rig.admin("POST", "/admin/v1/nodes/" + kept + "/drain");
            ClusterCaller e = join(rig, callers, erin, third);
            ClusterCaller f = join(rig, callers, frank, third);
            hearEachOther(e, f);
            assertThat(rig.nodeOf(third)).isEqualTo(frozen);
            assertHolds(rig, frozen, 1, 2);
            rig.admin("DELETE", "/admin/v1/nodes/" + kept + "/drain");
            long before = a.audioFrom(b);
            long before2 = c2.audioFrom(d2);
            ClusterRig.await("the calls on " + kept + " go on", ClusterRig.TIMEOUT,
                    () -> a.audioFrom(b) > before + AUDIO && c2.audioFrom(d2) > before2 + AUDIO);

            // The stale endpoints' late events reached no one; every call answered once, hung up at most once.
            assertBotSaidNothingSince(rig, callers, dmSeen);
            for (ClusterCaller x : callers) {
                assertThat(x.botEvents("m.call.answer")).as("answers to " + x.call.callId()).isEqualTo(1);
                assertThat(x.botEvents("m.call.hangup")).as("hang-ups of " + x.call.callId())
                        .isEqualTo(List.of(c, d).contains(x) ? 1 : 0);
            }
            rig.hs.pusher().awaitIdle(ClusterRig.TIMEOUT);
            rig.appservice.terminate(ClusterRig.TIMEOUT); // the journal is read once its writer is gone
            rig.assertJournalProcessedEachUnitOnce();
        } finally {
            callers.forEach(ClusterCaller::close);
        }
    }

    private static void assertHolds(ClusterRig rig, String node, int conferences, int endpoints) {
        JsonObject holds = rig.nodeHolds(node);
        assertThat(holds.getInteger("conferences")).as("conferences on " + node).isEqualTo(conferences);
        assertThat(holds.getInteger("endpoints")).as("endpoints on " + node).isEqualTo(endpoints);
    }

    /** How many events each caller's DM with the bot holds now. */
    private static Map<String, Integer> timelineSizes(ClusterRig rig, List<ClusterCaller> callers) {
        Map<String, Integer> sizes = new HashMap<>();
        for (ClusterCaller x : callers) sizes.put(x.call.dmRoom(), rig.hs.timeline(x.call.dmRoom()).size());
        return sizes;
    }

    /** The bot's hang-ups and messages (notices) in the DM from event {@code from} on, as "type content". */
    private static List<String> botSaid(ClusterRig rig, String dm, int from) {
        List<JsonObject> timeline = rig.hs.timeline(dm);
        return timeline.subList(Math.min(from, timeline.size()), timeline.size()).stream()
                .filter(ev -> ev.getString("sender").equals(rig.hs.botUserId()))
                .filter(ev -> ev.getString("type").equals("m.call.hangup")
                        || ev.getString("type").equals("m.room.message"))
                .map(ev -> ev.getString("type") + " " + ev.getJsonObject("content").encode()).toList();
    }

    /** Nothing of the kind in any caller's DM after the sizes seen (a DM created since: at all). */
    private static void assertBotSaidNothingSince(ClusterRig rig, List<ClusterCaller> callers,
            Map<String, Integer> seen) {
        for (ClusterCaller x : callers) {
            String dm = x.call.dmRoom();
            assertThat(botSaid(rig, dm, seen.getOrDefault(dm, 0))).as("the bot's hang-ups and notices to "
                    + x.user.userId() + " after the resume").isEmpty();
        }
    }
}
