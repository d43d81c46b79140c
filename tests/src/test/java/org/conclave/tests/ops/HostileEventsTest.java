package org.conclave.tests.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.conclave.tests.homeserver.ScriptedClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A member floods the conference's room with hostile events Synapse passes on (each under its 64 KiB, canonical JSON):
 * tens of thousands of values in one event, and nesting far deeper than any event Conclave reads. Each is left out
 * of its transaction and counted by the limit it broke, the rest of every transaction processed,
 * while two others talk and a third keeps placing calls: their audio and call set-up are what it costs them. Prints
 * the figures docs/reliability.md quotes.
 */
class HostileEventsTest {
    static final int PER_KIND = 200;
    static final int SENDERS = 3;
    /** Values in one dense event: far above {@code appservice.max_item_values} (10,000), under 64 KiB of JSON. */
    static final int DENSE_VALUES = 30_000;
    /**
     * Nesting of one deep event: far above {@code appservice.max_event_depth} (64); at 900 the homeserver double's own
     * encoder overflowed its stack.
     */
    static final int DEEP_LEVELS = 250;

    @TempDir
    Path dir;

    @Test
    void hostileEventsAreLeftOutWhileOthersTalkAndCall() throws Exception {
        try (OpsRig rig = OpsRig.start(dir, "")) {
            ScriptedClient alice = rig.hs.client("alice");
            ScriptedClient bob = rig.hs.client("bob");
            ScriptedClient carol = rig.hs.client("carol");
            ScriptedClient mallory = rig.hs.client("mallory");
            String room = rig.conferenceRoom(alice, bob, carol, mallory);
            rig.bridge.directRoom(carol);
            rig.bridge.directRoom(mallory);
            try (Bystanders others = new Bystanders(rig, room, alice, bob, carol)) {
                PromText before = rig.scrape();
                others.measureQuiet(5);
                List<JsonObject> hostile = hostileContents();
                ExecutorService senders = Executors.newFixedThreadPool(SENDERS);
                List<Future<?>> sending = new ArrayList<>();
                long floodStart = System.nanoTime();
                for (int s = 0; s < SENDERS; s++) {
                    int first = s;
                    sending.add(senders.submit(() -> {
                        for (int i = first; i < hostile.size(); i += SENDERS) {
                            mallory.send(room, "org.example.hostile", hostile.get(i));
                        }
                    }));
                }
                others.startAudio();
                others.callDuring(10);
                for (Future<?> f : sending) f.get(2, TimeUnit.MINUTES);
                senders.shutdown();
                rig.hs.pusher().awaitIdle(Duration.ofMinutes(2)); // every hostile event reached the appservice
                double floodSeconds = (System.nanoTime() - floodStart) / 1e9;
                others.stopAudio();
                // After it: the flooder's own next call is answered (nothing of it stuck behind its events).
                long after = others.probe(mallory, "mallory-after");

                PromText m = rig.scrape();
                double values = skipped(m, before, "max_item_values");
                double depth = skipped(m, before, "max_event_depth");
                double refused = m.value(
                        "conclave_appservice_transactions_refused_total{limit=\"max_transaction_values\"}")
                        + m.value("conclave_appservice_transactions_refused_total{limit=\"max_transaction_depth\"}")
                        + m.value("conclave_appservice_transactions_refused_total{limit=\"max_transaction_kib\"}");
                System.out.printf("Hostile events: %d events (%d of %d values, %d of %d levels) from one member in"
                        + " %.1f s: left out max_item_values %.0f, max_event_depth %.0f; transactions refused %.0f."
                        + " The flooder's next call %d ms; %s%n", hostile.size(), PER_KIND, DENSE_VALUES, PER_KIND,
                        DEEP_LEVELS, floodSeconds, values, depth, refused, TimeUnit.NANOSECONDS.toMillis(after),
                        others.figures());

                assertThat(values).as("dense events left out").isEqualTo(PER_KIND);
                assertThat(depth).as("deep events left out").isEqualTo(PER_KIND);
                assertThat(refused).as("no transaction refused whole (a homeserver would retry it for ever)").isZero();
                others.assertUnhurt(1000);
            }
        }
    }

    private static double skipped(PromText now, PromText before, String limit) {
        String key = "conclave_appservice_items_skipped_total{limit=\"" + limit + "\"}";
        return now.value(key) - before.value(key);
    }

    /** The two kinds, interleaved. */
    static List<JsonObject> hostileContents() {
        JsonArray zeros = new JsonArray();
        for (int i = 0; i < DENSE_VALUES; i++) zeros.add(0);
        JsonObject deep = new JsonObject();
        for (int i = 0; i < DEEP_LEVELS; i++) deep = new JsonObject().put("a", deep);
        List<JsonObject> out = new ArrayList<>();
        for (int i = 0; i < PER_KIND; i++) {
            out.add(new JsonObject().put("n", i).put("dense", zeros));
            out.add(new JsonObject().put("n", i).put("deep", deep));
        }
        return out;
    }
}
