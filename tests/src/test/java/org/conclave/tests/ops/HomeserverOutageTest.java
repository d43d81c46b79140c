package org.conclave.tests.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.conclave.appservice.config.AppserviceConfig;
import org.conclave.tests.harness.AudioWindow;
import org.conclave.tests.homeserver.ScriptedClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The homeserver goes away for a while (default 10 s here; {@code -Doutage.seconds=60} for the figure in
 * docs/reliability.md) in the middle of a four-person conference, with Conclave's shipped retry settings. Meanwhile an
 * operator disconnects one participant (the bot owes him a hangup and the others a new offer) and another hangs up
 * (his client sends once the homeserver is back). Media goes on; once the homeserver returns, everything owed goes out,
 * once each, and the conference is as it should be.
 */
class HomeserverOutageTest {
    static final Duration OUTAGE = Duration.ofSeconds(Long.getLong("outage.seconds", 10));

    @TempDir
    Path dir;

    @Test
    void mediaGoesOnAndSignallingCatchesUpWithNothingLostOrRepeated() throws Exception {
        // The product's retry settings, not the rig's fast ones.
        Map<String, String> env = Map.of(
                "CONCLAVE_APPSERVICE_HOMESERVER_MAX_ATTEMPTS",
                Integer.toString(AppserviceConfig.DEFAULT_HOMESERVER_MAX_ATTEMPTS),
                "CONCLAVE_APPSERVICE_HOMESERVER_MAX_BACKOFF_MS",
                Integer.toString(AppserviceConfig.DEFAULT_HOMESERVER_MAX_BACKOFF_MS));
        try (OpsRig rig = OpsRig.start(dir, "", env)) {
            ScriptedClient alice = rig.hs.client("alice");
            ScriptedClient bob = rig.hs.client("bob");
            ScriptedClient carol = rig.hs.client("carol");
            ScriptedClient dave = rig.hs.client("dave");
            String room = rig.conferenceRoom(alice, bob, carol, dave);
            try (Caller a = new Caller(rig.bridge, alice, room).connect();
                    Caller b = new Caller(rig.bridge, bob, room).connect();
                    Caller c = new Caller(rig.bridge, carol, room).connect();
                    Caller d = new Caller(rig.bridge, dave, room).connect()) {
                List<Caller> all = List.of(a, b, c, d);
                for (Caller x : all) {
                    for (Caller y : all) {
                        if (x != y) OpsRig.await("audio", OpsRig.TIMEOUT, () -> x.audioFrom(y) > 25);
                    }
                }
                OpsRig.await("every negotiation settled", OpsRig.TIMEOUT, () -> rig.hs.pusher().idle());
                int offersA = count(a, "offer");
                int offersC = count(c, "offer");
                double failuresBefore = rig.scrape().value("conclave_homeserver_request_failures_total");
                String bobEndpoint = endpointOf(rig, room, bob);

                AudioWindow ac = new AudioWindow(a::audioSent, () -> c.audioFrom(a)).start();
                AudioWindow ca = new AudioWindow(c::audioSent, () -> a.audioFrom(c)).start();
                long down = System.nanoTime();
                rig.hs.goDown();
                // An operator disconnects bob (the bot owes him m.call.hangup and a notice, the others an offer) ...
                assertThat(rig.admin("DELETE", "/admin/v1/endpoints/" + bobEndpoint, OpsRig.ADMIN_TOKEN)
                        .statusCode()).isEqualTo(200);
                // ... and dave hangs up: his client sends m.call.hangup when the homeserver takes it again.
                d.call.hangup("user_hangup");
                LockSupport.parkNanos(down + OUTAGE.toNanos() - System.nanoTime()); // the outage itself
                ac.stop();
                ca.stop();
                rig.hs.comeBack();
                long up = System.nanoTime();

                long bobTold = awaitBotEvent(rig, b, "m.call.hangup", up);
                long offersBack = awaitMillis("alice's and carol's new offers (bob and dave gone) answered", up,
                        () -> count(a, "offer") > offersA && count(c, "offer") > offersC
                                && participants(rig, room).size() == 2 && rig.hs.pusher().idle());
                List<JsonObject> toBob = rig.hs.timeline(b.call.dmRoom()).stream()
                        .filter(e -> e.getString("sender").equals(rig.bot())).toList();
                double failures = rig.scrape().value("conclave_homeserver_request_failures_total") - failuresBefore;
                System.out.printf("Homeserver outage of %d s mid-conference: audio alice->carol %s, carol->alice %s;"
                        + " after it came back, the bot's hangup reached bob in %d ms, the new offers were answered"
                        + " in %d ms; requests that failed for good: %.0f%n", OUTAGE.toSeconds(), ac, ca, bobTold,
                        offersBack, failures);

                assertThat(ac.lossRatio()).as("audio during the outage").isLessThan(0.01);
                assertThat(ca.lossRatio()).as("audio during the outage").isLessThan(0.01);
                assertThat(toBob).filteredOn(e -> e.getString("type").equals("m.call.hangup")).as("bob's hangups")
                        .hasSize(1);
                assertThat(toBob).filteredOn(e -> e.getString("type").equals("m.room.message")).as("bob's notices")
                        .hasSize(1);
                assertThat(rig.hs.timeline(d.call.dmRoom())).as("nothing owed to dave, who hung up himself")
                        .noneMatch(e -> e.getString("sender").equals(rig.bot())
                                && e.getString("type").equals("m.call.hangup"));
                assertThat(participants(rig, room)).extracting(p -> p.getString("participant"))
                        .containsExactlyInAnyOrder(alice.userId() + "/DEV_ALICE", carol.userId() + "/DEV_CAROL");
                assertThat(failures).as("requests given up").isZero();
                // Retries back off up to homeserver_max_backoff_ms: the catch-up is bounded by it.
                assertThat(bobTold).isLessThan(AppserviceConfig.DEFAULT_HOMESERVER_MAX_BACKOFF_MS + 5_000L);
                long before = a.audioFrom(c);
                OpsRig.await("audio after the outage", OpsRig.TIMEOUT, () -> a.audioFrom(c) > before + 25);
            }
        }
    }

    private static int count(Caller c, String event) {
        return (int) c.events().stream().filter(event::equals).count();
    }

    private static List<JsonObject> participants(OpsRig rig, String room) {
        try {
            JsonObject conference = rig.adminJson("GET", "/admin/v1/conferences/"
                    + URLEncoder.encode(room, StandardCharsets.UTF_8));
            return conference.getJsonArray("participants").stream().map(JsonObject.class::cast).toList();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static String endpointOf(OpsRig rig, String room, ScriptedClient user) {
        return participants(rig, room).stream().filter(p -> p.getString("participant").startsWith(user.userId() + "/"))
                .findFirst().orElseThrow().getString("endpoint_id");
    }

    private static long awaitBotEvent(OpsRig rig, Caller c, String type, long since) throws InterruptedException {
        c.call.awaitBotEvent(type, Duration.ofMinutes(4));
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - since);
    }

    private static long awaitMillis(String what, long since, java.util.function.BooleanSupplier done) {
        OpsRig.await(what, Duration.ofMinutes(4), done);
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - since);
    }
}
