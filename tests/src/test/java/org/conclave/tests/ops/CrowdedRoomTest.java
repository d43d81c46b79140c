package org.conclave.tests.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.conclave.tests.homeserver.HomeserverDouble;
import org.conclave.tests.homeserver.ScriptedClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 300 members of one room call into its conference at once (to-device invites, as Conclave Web places them) while
 * another conference runs: with the shipped caps, calls.max_invites_per_room_per_minute admits 120 of them (of which
 * sfu.max_endpoints_per_conference takes 100), every refused caller gets an m.call.reject with the reason, the room
 * gets one notice, and the other conference's audio and call set-up go on. Prints the figures docs/reliability.md
 * quotes.
 */
class CrowdedRoomTest {
    static final int CROWD = Integer.getInteger("crowd.size", 300);
    static final int SENDERS = 8;

    @TempDir
    Path dir;

    @Test
    void hundredsOfCallersIntoOneConferenceCostTheOtherConferenceNothing() throws Exception {
        try (OpsRig rig = OpsRig.start(dir, "")) {
            ScriptedClient alice = rig.hs.client("alice");
            ScriptedClient bob = rig.hs.client("bob");
            ScriptedClient carol = rig.hs.client("carol");
            String quietRoom = rig.conferenceRoom(alice, bob, carol);
            rig.bridge.directRoom(carol);
            ScriptedClient dave = rig.hs.client("dave");
            List<ScriptedClient> crowd = new ArrayList<>();
            for (int i = 0; i < CROWD; i++) crowd.add(rig.hs.client("crowd" + i));
            String crowdedRoom = rig.conferenceRoom(dave, crowd.toArray(ScriptedClient[]::new));
            List<HomeserverDouble.Session> sessions = new ArrayList<>();
            for (int i = 0; i < CROWD; i++) sessions.add(rig.hs.login(crowd.get(i).userId(), "CROWD" + i));
            rig.hs.pusher().awaitIdle(Duration.ofMinutes(2)); // the memberships reached the bot
            PromText before = rig.scrape();

            try (Bystanders others = new Bystanders(rig, quietRoom, alice, bob, carol).measureQuiet(5)) {
                HttpClient http = HttpClient.newHttpClient();
                ExecutorService senders = Executors.newFixedThreadPool(SENDERS);
                AtomicInteger next = new AtomicInteger();
                List<Future<?>> sending = new ArrayList<>();
                long start = System.nanoTime();
                for (int s = 0; s < SENDERS; s++) {
                    sending.add(senders.submit(() -> {
                        for (int i; (i = next.getAndIncrement()) < CROWD; ) {
                            callWithToDevice(http, rig, sessions.get(i), crowdedRoom,
                                    others.offer("crowd-" + i));
                        }
                        return null;
                    }));
                }
                others.startAudio();
                others.callDuring(10);
                for (Future<?> f : sending) f.get(2, TimeUnit.MINUTES);
                double sentSeconds = (System.nanoTime() - start) / 1e9;
                senders.shutdown();
                rig.hs.pusher().awaitIdle(Duration.ofMinutes(2));
                double handledSeconds = (System.nanoTime() - start) / 1e9;
                others.stopAudio();

                PromText m = rig.scrape();
                double roomRate = m.value("conclave_calls_limited_total{reason=\"room_rate\"}");
                double allocated = m.value("conclave_sfu_endpoints_allocated_total")
                        - before.value("conclave_sfu_endpoints_allocated_total") - 2 - 15;
                JsonObject conference = rig.adminJson("GET", "/admin/v1/conferences/"
                        + java.net.URLEncoder.encode(crowdedRoom, java.nio.charset.StandardCharsets.UTF_8));
                int inConference = conference.getJsonArray("participants").size();
                long notices = rig.hs.timeline(crowdedRoom).stream().filter(e -> e.getString("sender")
                        .equals(rig.bot()) && e.getString("type").equals("m.room.message")).count();
                System.out.printf("Crowded room: %d callers into one conference (to-device invites) sent in %.1f s,"
                        + " handled in %.1f s: refused by the room cap %.0f, endpoints allocated %.0f, in the"
                        + " conference now %d, notices in that room %d. The other conference: %s%n", CROWD,
                        sentSeconds, handledSeconds, roomRate, allocated, inConference, notices, others.figures());

                // 120 at once, then 2 a second while the crowd keeps calling.
                assertThat(CROWD - roomRate).as("admitted by calls.max_invites_per_room_per_minute")
                        .isBetween(120.0, 120 + 2 * handledSeconds + 1);
                assertThat(inConference).as("endpoints in the crowded conference (sfu.max_endpoints_per_conference)")
                        .isEqualTo(100);
                assertThat(notices).as("notices in the crowded room about refusals").isLessThanOrEqualTo(1);
                others.assertUnhurt(1500);
            }
        }
    }

    /** The member's client places a to-device call to the bot's device (MSC3401 fields, docs/protocol.md). */
    private static void callWithToDevice(HttpClient http, OpsRig rig, HomeserverDouble.Session s, String room,
            String sdp) throws Exception {
        JsonObject content = InviteFloodTest.invite("call-" + s.deviceId(), sdp, room).put("device_id", s.deviceId())
                .put("party_id", s.deviceId()).put("sender_session_id", "session-" + s.deviceId()).put("seq", 0);
        JsonObject body = new JsonObject().put("messages", new JsonObject().put(rig.bot(),
                new JsonObject().put("CONCLAVE", content)));
        HttpRequest request = HttpRequest.newBuilder(URI.create(rig.hs.url()
                        + "/_matrix/client/v3/sendToDevice/m.call.invite/" + s.deviceId()))
                .header("Authorization", "Bearer " + s.accessToken()).timeout(OpsRig.TIMEOUT)
                .PUT(HttpRequest.BodyPublishers.ofString(body.encode())).build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) throw new AssertionError("sendToDevice -> " + response.statusCode());
    }
}
