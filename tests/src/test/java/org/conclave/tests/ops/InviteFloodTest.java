package org.conclave.tests.ops;

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
import java.util.concurrent.atomic.AtomicInteger;
import org.conclave.tests.homeserver.ScriptedClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One member sends 1,000 m.call.invite as fast as the homeserver takes them (far more than 1,000 a minute) while two
 * others talk in the conference and a third keeps placing calls: with the shipped caps (calls.max_*), the flooder gets
 * its calls at once and then one m.call.reject with one notice, everything else is dropped unanswered and counted; the
 * talkers' audio and the third caller's signalling go on. Prints the figures docs/reliability.md quotes.
 */
class InviteFloodTest {
    static final int FLOOD = 1000;
    static final int SENDERS = 4;

    @TempDir
    Path dir;

    @Test
    void aThousandInvitesFromOneUserCostTheOthersNothing() throws Exception {
        try (OpsRig rig = OpsRig.start(dir, "")) {
            ScriptedClient alice = rig.hs.client("alice");
            ScriptedClient bob = rig.hs.client("bob");
            ScriptedClient carol = rig.hs.client("carol");
            ScriptedClient mallory = rig.hs.client("mallory");
            String room = rig.conferenceRoom(alice, bob, carol, mallory);
            String malloryDm = rig.bridge.directRoom(mallory);
            rig.bridge.directRoom(carol);
            try (Bystanders others = new Bystanders(rig, room, alice, bob, carol).measureQuiet(5)) {
                ExecutorService senders = Executors.newFixedThreadPool(SENDERS);
                AtomicInteger next = new AtomicInteger();
                List<Future<?>> sending = new ArrayList<>();
                long floodStart = System.nanoTime();
                for (int s = 0; s < SENDERS; s++) {
                    sending.add(senders.submit(() -> {
                        for (int i; (i = next.getAndIncrement()) < FLOOD; ) {
                            mallory.send(malloryDm, "m.call.invite", invite("flood-" + i, others.offer("flood-" + i),
                                    room));
                        }
                    }));
                }
                others.startAudio();
                others.callDuring(10);
                for (Future<?> f : sending) f.get(2, TimeUnit.MINUTES);
                double floodSeconds = (System.nanoTime() - floodStart) / 1e9;
                senders.shutdown();
                rig.hs.pusher().awaitIdle(Duration.ofMinutes(2)); // every invite reached the bot
                others.stopAudio();

                PromText m = rig.scrape();
                double userRate = m.value("conclave_calls_limited_total{reason=\"user_rate\"}");
                double userCalls = m.value("conclave_calls_limited_total{reason=\"user_calls\"}");
                double unanswered = m.value("conclave_calls_limited_unanswered_total");
                List<JsonObject> toMallory = rig.hs.timeline(malloryDm).stream()
                        .filter(e -> e.getString("sender").equals(rig.bot())).toList();
                long answers = count(toMallory, "m.call.answer");
                long rejects = count(toMallory, "m.call.reject");
                long limitNotices = toMallory.stream().filter(e -> e.getString("type").equals("m.room.message")
                        && e.getJsonObject("content").getString("body", "").contains("calls.max_")).count();
                System.out.printf("Invite flood: %d m.call.invite from one user in %.1f s (%.0f a minute): answered %d,"
                        + " refused %d (user_rate %.0f, user_calls %.0f), of them unanswered %.0f; rejects %d, limit"
                        + " notices %d; %s%n", FLOOD, floodSeconds, FLOOD / floodSeconds * 60, answers,
                        (long) (userRate + userCalls), userRate, userCalls, unanswered, rejects, limitNotices,
                        others.figures());

                assertThat(answers).as("flood calls answered (calls.max_calls_per_user)").isEqualTo(10);
                assertThat(userRate + userCalls).as("refused by the caps").isEqualTo(FLOOD - 10);
                assertThat(rejects).as("m.call.reject to the flooder").isEqualTo(1);
                assertThat(limitNotices).as("notices about the caps to the flooder").isEqualTo(1);
                assertThat(unanswered).isEqualTo(FLOOD - 11);
                // A regression (every invite answered, allocated or told) keeps the other member waiting for seconds.
                others.assertUnhurt(1000);
            }
        }
    }

    private static long count(List<JsonObject> events, String type) {
        return events.stream().filter(e -> e.getString("type").equals(type)).count();
    }

    /** An m.call.invite as matrix-js-sdk sends it in a DM (docs/protocol.md, "The invite"). */
    static JsonObject invite(String callId, String sdp, String conference) {
        return new JsonObject().put("call_id", callId).put("party_id", "DEV_MALLORY").put("version", "1")
                .put("lifetime", 60_000).put("conf_id", conference).put("device_id", "DEV_MALLORY")
                .put("offer", new JsonObject().put("type", "offer").put("sdp", sdp));
    }
}
