package org.conclave.tests.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import org.conclave.sfu.ops.GatedControl;
import org.conclave.tests.harness.TestPaths;
import org.conclave.tests.homeserver.ScriptedClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15's operations, end to end over real HTTP: three Matrix users in a call with real ICE/DTLS/SRTP peers;
 * {@code /metrics} scraped while media flows shows the counters moving; the admin API lists the live conference with
 * roles, disconnects one participant (its media stops both ways), drains the node (a new caller is refused in words,
 * the others go on), ends the conference; every admin call without the right token gets 401 and changes nothing.
 */
class MetricsAndAdminTest {
    /** Long enough to see ~50 audio packets of one sender: proves that media stopped, not that it was late. */
    private static final Duration SILENCE_WINDOW = Duration.ofSeconds(1);

    @TempDir
    Path dir;

    @Test
    void metricsMoveWithTheCallAndTheAdminApiControlsIt() throws Exception {
        try (OpsRig rig = OpsRig.start(dir, "")) {
            ScriptedClient alice = rig.hs.client("alice");
            ScriptedClient bob = rig.hs.client("bob");
            ScriptedClient carol = rig.hs.client("carol");
            String room = rig.conferenceRoom(alice, bob, carol);
            try (Caller a = new Caller(rig.bridge, alice, room).connect();
                    Caller b = new Caller(rig.bridge, bob, room).connect();
                    Caller c = new Caller(rig.bridge, carol, room).connect()) {
                List<Caller> all = List.of(a, b, c);
                awaitHearing(all);

                scrapedCountersMove(rig);
                everyAdminCallWithoutTheTokenIs401AndChangesNothing(rig, room);

                JsonObject listed = rig.adminJson("GET", "/admin/v1/conferences");
                assertThat(listed.getBoolean("draining")).isFalse();
                JsonArray conferences = listed.getJsonArray("conferences");
                assertThat(conferences).hasSize(1);
                JsonObject conference = conferences.getJsonObject(0);
                assertThat(conference.getString("id")).isEqualTo(room);
                Map<String, JsonObject> byUser = participants(conference);
                assertThat(byUser).containsOnlyKeys(alice.userId(), bob.userId(), carol.userId());
                assertThat(byUser.get(alice.userId()).getString("role")).isEqualTo("host");
                // What the E2EE check did, per participant and summed, in conferences that require it (only there).
                boolean e2ee = conference.getBoolean("require_e2ee");
                assertThat(conference.containsKey("e2ee")).isEqualTo(e2ee);
                for (JsonObject p : byUser.values()) {
                    assertThat(p.containsKey("e2ee")).isEqualTo(e2ee);
                    if (e2ee) assertThat(p.getJsonObject("e2ee").getLong("frames_refused")).isNotNull();
                }
                assertThat(byUser.get(bob.userId()).getString("role")).isEqualTo("guest");
                assertThat(rig.adminJson("GET", "/admin/v1/conferences/" + enc(room)).getString("id"))
                        .isEqualTo(room);

                JsonObject config = rig.adminJson("GET", "/admin/v1/config");
                assertThat(config.getJsonObject("appservice").getString("server_name")).isEqualTo(OpsRig.SERVER_NAME);
                assertThat(config.getJsonObject("admin").getString("token")).isEqualTo("********");
                assertThat(config.encode()).doesNotContain(OpsRig.ADMIN_TOKEN).doesNotContain(OpsRig.METRICS_TOKEN);

                // Disconnect carol: she is hung up, and her media stops both ways.
                String carolEndpoint = byUser.get(carol.userId()).getString("endpoint_id");
                JsonObject gone = rig.adminJson("DELETE", "/admin/v1/endpoints/" + enc(carolEndpoint));
                assertThat(gone.getString("conference_id")).isEqualTo(room);
                assertThat(c.call.awaitBotEvent("m.call.hangup", OpsRig.TIMEOUT).getJsonObject("content")
                        .getString("reason")).isNotBlank();
                awaitEndpoints(rig, 2);
                // Packets already on their way when the endpoint closed may still land: start counting once settled.
                long aFromC = settled(() -> a.audioFrom(c));
                long cFromA = settled(() -> c.audioFrom(a));
                long aFromB = a.audioFrom(b);
                LockSupport.parkNanos(SILENCE_WINDOW.toNanos());
                assertThat(a.audioFrom(c)).as("carol's audio at alice after the disconnect").isEqualTo(aFromC);
                assertThat(c.audioFrom(a)).as("alice's audio at carol after the disconnect").isEqualTo(cFromA);
                assertThat(a.audioFrom(b)).as("bob's audio at alice goes on").isGreaterThan(aFromB + 10);

                drainRefusesNewCallersAndKeepsTheCall(rig, room, a, b);

                JsonObject ended = rig.adminJson("DELETE", "/admin/v1/conferences/" + enc(room));
                assertThat(ended.getInteger("closed_endpoints")).isEqualTo(2);
                for (Caller x : List.of(a, b)) {
                    assertThat(x.call.awaitBotEvent("m.call.hangup", OpsRig.TIMEOUT).getJsonObject("content")
                            .getString("reason")).isNotBlank();
                }
                awaitEndpoints(rig, 0);
                assertThat(rig.admin("GET", "/admin/v1/conferences/" + enc(room), OpsRig.ADMIN_TOKEN).statusCode())
                        .isEqualTo(404);
            }
        }
    }

    private static void scrapedCountersMove(OpsRig rig) throws Exception {
        PromText first = rig.scrape();
        OpsRig.await("a sample of 3 endpoints in 1 conference", Duration.ofSeconds(15), () -> {
            PromText now = scrapeQuietly(rig);
            return now.value("conclave_sfu_endpoints") == 3 && now.value("conclave_sfu_conferences") == 1;
        });
        PromText second = rig.scrape();
        for (String counter : List.of("conclave_sfu_datagrams_received_total", "conclave_sfu_datagrams_sent_total",
                "conclave_sfu_received_bytes_total", "conclave_sfu_sent_bytes_total")) {
            assertThat(second.value(counter)).as(counter).isGreaterThan(first.value(counter));
        }
        assertThat(second.value("conclave_sfu_dtls_handshakes_total{outcome=\"ok\"}")).isGreaterThanOrEqualTo(3);
        assertThat(second.value("conclave_sfu_endpoints_allocated_total")).isGreaterThanOrEqualTo(3);
        assertThat(second.value("conclave_appservice_transactions_seconds_count{outcome=\"ok\"}")).isPositive();
        assertThat(second.value("conclave_appservice_events_total{outcome=\"ok\"}")).isPositive();
        for (String phase : new String[] {"read", "parse", "queue", "hand_over", "wait", "record", "respond"}) {
            assertThat(second.value("conclave_appservice_transaction_phase_seconds_count{phase=\"" + phase + "\"}"))
                    .as(phase).isPositive();
        }
        assertThat(second.value("conclave_homeserver_requests_seconds_count{outcome=\"ok\"}")).isPositive();
        assertThat(second.value("conclave_sfu_packet_thread_busy_ratio")).isBetween(0.0, 1.0);
        assertThat(second.value("conclave_sfu_packet_thread_idle_seconds_total")).isPositive();
        assertThat(second.value("conclave_sfu_draining")).isZero();
        assertThat(second.value("conclave_sfu_drops_total{reason=\"e2ee\"}")).isZero();
        // SRTP: what did not decrypt from clients, and what the SFU could not encrypt for them, apart.
        assertThat(second.value("conclave_sfu_drops_total{reason=\"srtp_auth\"}")).isZero();
        assertThat(second.value("conclave_sfu_drops_total{reason=\"srtp_protect\"}")).isZero();
        // The flood limits' refusals are exported at zero from the start, by the key (nobody here broke one).
        for (String limit : List.of("max_transaction_kib", "max_transaction_depth", "max_transaction_values")) {
            assertThat(second.value("conclave_appservice_transactions_refused_total{limit=\"" + limit + "\"}"))
                    .as(limit).isZero();
        }
        for (String limit : List.of("max_event_depth", "max_number_chars")) {
            assertThat(second.value("conclave_appservice_items_skipped_total{limit=\"" + limit + "\"}")).as(limit)
                    .isZero();
        }
        for (String limit : List.of("max_request_bytes", "max_concurrent_requests")) {
            assertThat(second.value("conclave_turn_requests_refused_total{limit=\"" + limit + "\"}")).as(limit)
                    .isZero();
        }
        // ICE-TCP (on by default): nobody here uses it, its meters are there.
        assertThat(second.value("conclave_sfu_ice_tcp_connections_total")).isZero();
        assertThat(second.value("conclave_sfu_ice_tcp_closed_total{reason=\"bind_timeout\"}")).isZero();
        assertThat(second.value("conclave_sfu_drops_total{reason=\"tcp_write_buffer_full\"}")).isZero();
        dashboardUsesOnlyExportedMetrics(second);
        assertThat(second.text()).contains("conclave_sfu_endpoint_rtt_seconds_bucket",
                "conclave_sfu_upstream_loss_ratio_bucket", "conclave_sfu_rtcp_sent_total{type=\"pli\"}",
                "vertx_http_server_requests_total", "jvm_memory_used_bytes");
    }

    /** Every metric docs/grafana-dashboard.json queries is in the scrape (a renamed metric would blank a panel). */
    private static void dashboardUsesOnlyExportedMetrics(PromText scrape) throws Exception {
        String dashboard = java.nio.file.Files.readString(TestPaths.moduleDir().resolve("../docs/grafana-dashboard.json"));
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\b(conclave_[a-z0-9_]+|jvm_[a-z0-9_]+)")
                .matcher(dashboard);
        java.util.Set<String> names = new java.util.TreeSet<>();
        while (m.find()) names.add(m.group(1));
        assertThat(names).hasSizeGreaterThan(15);
        for (String name : names) {
            assertThat(scrape.text()).as("dashboard metric %s in the scrape", name).containsPattern("(?m)^" + name
                    + "[{ ]");
        }
    }

    private static void everyAdminCallWithoutTheTokenIs401AndChangesNothing(OpsRig rig, String room) throws Exception {
        String endpoint = rig.server.sfu().conferences().conferenceSummaries().toCompletableFuture().get()
                .get(0).roster().get(0).id();
        List<String[]> calls = List.of(new String[] {"GET", "/admin/v1/conferences"},
                new String[] {"GET", "/admin/v1/conferences/" + enc(room)},
                new String[] {"DELETE", "/admin/v1/conferences/" + enc(room)},
                new String[] {"DELETE", "/admin/v1/endpoints/" + enc(endpoint)},
                new String[] {"GET", "/admin/v1/drain"}, new String[] {"POST", "/admin/v1/drain"},
                new String[] {"DELETE", "/admin/v1/drain"}, new String[] {"GET", "/admin/v1/config"});
        for (String[] call : calls) {
            for (String token : new String[] {null, "wrong-" + OpsRig.ADMIN_TOKEN, OpsRig.METRICS_TOKEN, ""}) {
                HttpResponse<String> r = rig.admin(call[0], call[1], token);
                assertThat(r.statusCode()).as("%s %s with token %s", call[0], call[1], token).isEqualTo(401);
                assertThat(r.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> v.startsWith("Bearer"));
                assertThat(r.body()).doesNotContain(room).doesNotContain(endpoint);
            }
        }
        assertThat(rig.admin("GET", "/metrics", null).statusCode()).as("scrape without the metrics token")
                .isEqualTo(401);
        assertThat(rig.server.sfu().operations().draining()).isFalse();
        assertThat(rig.server.sfu().conferences().endpointCount().toCompletableFuture().get()).isEqualTo(3);
    }

    private static void drainRefusesNewCallersAndKeepsTheCall(OpsRig rig, String room, Caller a, Caller b)
            throws Exception {
        JsonObject drain = rig.adminJson("POST", "/admin/v1/drain");
        assertThat(drain.getBoolean("draining")).isTrue();
        assertThat(drain.getInteger("endpoints")).isEqualTo(2);
        ScriptedClient dave = rig.hs.client("dave");
        ScriptedClient owner = a.user;
        owner.invite(room, dave.userId());
        dave.join(room);
        try (Caller d = new Caller(rig.bridge, dave, room)) {
            assertThatThrownBy(d::invite).hasMessageContaining("reject");
            JsonObject notice = rig.hs.awaitEvent(d.call.dmRoom(), e -> e.getString("sender").equals(rig.bot())
                    && e.getString("type").equals("m.room.message"), OpsRig.TIMEOUT);
            assertThat(notice.getJsonObject("content").getString("body")).contains("not taking new calls");
        }
        long before = a.audioFrom(b);
        OpsRig.await("bob's audio at alice while draining", OpsRig.TIMEOUT, () -> a.audioFrom(b) > before + 25);
        PromText metrics = rig.scrape();
        assertThat(metrics.value("conclave_sfu_endpoints_refused_total{reason=\"draining\"}")).isEqualTo(1);
        assertThat(metrics.value("conclave_sfu_draining")).isEqualTo(1);
        assertThat(rig.adminJson("DELETE", "/admin/v1/drain").getBoolean("draining")).isFalse();
        assertThat(GatedControl.DRAINING).contains("not taking new calls");
    }

    private static void awaitHearing(List<Caller> callers) {
        for (Caller x : callers) {
            for (Caller y : callers) {
                if (x != y) OpsRig.await(y.user.userId() + " heard at " + x.user.userId(), OpsRig.TIMEOUT,
                        () -> x.audioFrom(y) > 25);
            }
        }
    }

    /** The count once two reads 100 ms apart (5 audio packets) agree; fails after 5 s of change. */
    private static long settled(java.util.function.LongSupplier count) {
        long[] last = {count.getAsLong()};
        OpsRig.await("a count that stops changing", Duration.ofSeconds(5), () -> {
            LockSupport.parkNanos(java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(100));
            long now = count.getAsLong();
            boolean same = now == last[0];
            last[0] = now;
            return same;
        });
        return last[0];
    }

    private static void awaitEndpoints(OpsRig rig, int n) {
        OpsRig.await(n + " endpoints", OpsRig.TIMEOUT, () -> {
            try {
                return rig.server.sfu().conferences().endpointCount().toCompletableFuture().get() == n;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private static Map<String, JsonObject> participants(JsonObject conference) {
        return conference.getJsonArray("participants").stream().map(o -> (JsonObject) o)
                .collect(Collectors.toMap(p -> p.getString("participant").split("/")[0], p -> p));
    }

    private static PromText scrapeQuietly(OpsRig rig) {
        try {
            return rig.scrape();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
