package org.conclave.tests.harness;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.conclave.sfu.control.AllocateRequest;
import org.conclave.sfu.control.FailureReason;
import org.conclave.sfu.control.Role;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The HTTP mapping of {@link SignalServer}, over real HTTP, against a {@link FakeSfuControl}. */
class SignalServerTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final String OFFER = "v=0\r\no=- 7 2 IN IP4 127.0.0.1\r\ns=-\r\n";

    @TempDir
    Path web;

    private final FakeSfuControl sfu = new FakeSfuControl();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    private final ObjectMapper json = new ObjectMapper();
    private SignalServer server;

    @BeforeEach
    void start() throws Exception {
        Files.writeString(web.resolve("peer.html"), "<html>peer</html>");
        server = new SignalServer(sfu, web);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void allocatesWithConferenceParticipantAndRole() throws Exception {
        HttpResponse<String> r = post("/conferences/room%201/endpoints", "{\"participant\":\"alice\",\"role\":\"HOST\"}");

        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode body = json.readTree(r.body());
        assertThat(body.get("endpointId").asText()).isEqualTo("ep-1");
        assertThat(body.get("conferenceId").asText()).isEqualTo("room 1");
        assertThat(sfu.allocations).containsExactly(new AllocateRequest("room 1", "alice", Role.HOST));
        assertThat(server.endpoints()).extracting(AllocatedEndpoint::participant).containsExactly("alice");
        assertThat(server.awaitEndpoint("alice", TIMEOUT)).map(AllocatedEndpoint::endpointId).contains("ep-1");
    }

    @Test
    void allocationRoleDefaultsToGuestAndBadRequestsAre400() throws Exception {
        assertThat(post("/conferences/c/endpoints", "{\"participant\":\"bob\"}").statusCode()).isEqualTo(200);
        assertThat(sfu.allocations).containsExactly(new AllocateRequest("c", "bob", Role.GUEST));

        assertThat(post("/conferences/c/endpoints", "{\"role\":\"HOST\"}").statusCode()).isEqualTo(400);
        assertThat(post("/conferences/c/endpoints", "{\"participant\":\"x\",\"role\":\"KING\"}").statusCode()).isEqualTo(400);
        assertThat(post("/conferences/c/endpoints", "not json").statusCode()).isEqualTo(400);
        assertThat(sfu.allocations).hasSize(1);
    }

    @Test
    void allocationCanRequireE2eeWhichMustBeABoolean() throws Exception {
        assertThat(post("/conferences/c/endpoints", "{\"participant\":\"a\",\"requireE2ee\":true}").statusCode())
                .isEqualTo(200);
        assertThat(post("/conferences/c/endpoints", "{\"participant\":\"b\",\"requireE2ee\":false}").statusCode())
                .isEqualTo(200);
        assertThat(post("/conferences/c/endpoints", "{\"participant\":\"x\",\"requireE2ee\":\"yes\"}").statusCode())
                .isEqualTo(400);
        assertThat(sfu.allocations).containsExactly(new AllocateRequest("c", "a", Role.GUEST, true),
                new AllocateRequest("c", "b", Role.GUEST, false));
    }

    @Test
    void offerReturnsTheSfuAnswerVerbatim() throws Exception {
        String id = allocate("alice");

        HttpResponse<String> r = post("/endpoints/" + id + "/offer", OFFER);

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo(FakeSfuControl.ANSWER);
        assertThat(r.headers().firstValue("Content-Type")).contains("application/sdp");
        assertThat(sfu.calls).contains("applyOffer " + id + " " + OFFER);
    }

    @Test
    void refusedOfferIs4xxWithTheSfuMessageAndReason() throws Exception {
        String id = allocate("alice");

        HttpResponse<String> bad = post("/endpoints/" + id + "/offer", "v=0 refuse:BAD_SDP");
        HttpResponse<String> full = post("/endpoints/" + id + "/offer", "v=0 refuse:CAPACITY");

        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).isEqualTo("refused: BAD_SDP");
        assertThat(bad.headers().firstValue("X-Sfu-Failure-Reason")).contains("BAD_SDP");
        assertThat(full.statusCode()).isEqualTo(429);
        assertThat(full.headers().firstValue("X-Sfu-Failure-Reason")).contains("CAPACITY");
        assertThat(post("/endpoints/" + id + "/offer", "").statusCode()).isEqualTo(400);
    }

    @Test
    void answerCandidateAndCloseReachTheSfu() throws Exception {
        String id = allocate("alice");

        assertThat(post("/endpoints/" + id + "/answer", "v=0 answer").statusCode()).isEqualTo(204);
        assertThat(post("/endpoints/" + id + "/candidate", "{\"candidate\":\"candidate:1 1 udp 1 10.0.0.1 5000 typ host\",\"sdpMid\":\"0\"}").statusCode())
                .isEqualTo(204);
        assertThat(post("/endpoints/" + id + "/candidate", "{\"sdpMid\":null}").statusCode()).isEqualTo(204);
        assertThat(post("/endpoints/" + id + "/close", "").statusCode()).isEqualTo(204);
        assertThat(post("/endpoints/" + id + "/close", "bye now").statusCode()).isEqualTo(204);

        assertThat(sfu.calls).containsSubsequence(
                "applyAnswer " + id + " v=0 answer",
                "addRemoteCandidate " + id + " [candidate:1 1 udp 1 10.0.0.1 5000 typ host] 0",
                "addRemoteCandidate " + id + " [] null",
                "close " + id + " closed by peer",
                "close " + id + " bye now");
    }

    @Test
    void synchronousSfuExceptionIsMappedToo() throws Exception {
        HttpResponse<String> r = post("/endpoints/nope/close", "");

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).isEqualTo("unknown endpoint nope");
        assertThat(r.headers().firstValue("X-Sfu-Failure-Reason")).contains("INTERNAL");
    }

    @Test
    void eventsAreNumberedAndFilteredByAfter() throws Exception {
        String id = allocate("alice");
        sfu.listener(id).onOffer(id, "v=0 reoffer");
        sfu.listener(id).onConnected(id);
        sfu.listener(id).onFailed(id, FailureReason.DTLS_FINGERPRINT_MISMATCH, "certificate does not match");
        sfu.listener(id).onClosed(id);

        JsonNode all = json.readTree(get("/endpoints/" + id + "/events?after=0").body());
        JsonNode lastTwo = json.readTree(get("/endpoints/" + id + "/events?after=2").body());

        assertThat(all).hasSize(4);
        assertThat(all.get(0).get("seq").asLong()).isEqualTo(1);
        assertThat(all.get(0).get("type").asText()).isEqualTo("offer");
        assertThat(all.get(0).get("sdp").asText()).isEqualTo("v=0 reoffer");
        assertThat(all.get(1).get("type").asText()).isEqualTo("connected");
        assertThat(all.get(1).has("sdp")).isFalse();
        assertThat(all.get(2).get("type").asText()).isEqualTo("failed");
        assertThat(all.get(2).get("reason").asText()).isEqualTo("DTLS_FINGERPRINT_MISMATCH");
        assertThat(all.get(2).get("detail").asText()).isEqualTo("certificate does not match");
        assertThat(all.get(3).get("type").asText()).isEqualTo("closed");
        assertThat(lastTwo).extracting(n -> n.get("seq").asLong()).containsExactly(3L, 4L);
        assertThat(server.endpoint(id).orElseThrow().events().snapshot()).hasSize(4);
    }

    @Test
    void longPollReturnsWhenAnEventArrivesAndEmptyOnTimeout() throws Exception {
        String id = allocate("alice");
        assertThat(json.readTree(get("/endpoints/" + id + "/events?after=0&timeoutMs=50").body())).isEmpty();

        CompletableFuture<HttpResponse<String>> poll = http.sendAsync(
                request("/endpoints/" + id + "/events?after=0&timeoutMs=20000").GET().build(),
                HttpResponse.BodyHandlers.ofString());
        // The poll must still be parked: nothing happened yet.
        assertThat(poll).isNotDone();
        sfu.listener(id).onConnected(id);

        JsonNode events = json.readTree(poll.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).body());
        assertThat(events).hasSize(1);
        assertThat(events.get(0).get("type").asText()).isEqualTo("connected");
    }

    @Test
    void eventsOfAnUnknownEndpointAre404() throws Exception {
        assertThat(get("/endpoints/ep-99/events?after=0").statusCode()).isEqualTo(404);
    }

    @Test
    void servesStaticFilesButNothingOutsideTheRoot() throws Exception {
        Files.writeString(web.getParent().resolve("secret.txt"), "secret");

        HttpResponse<String> page = get("/static/peer.html");

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).isEqualTo("<html>peer</html>");
        assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
        assertThat(get("/static/%2e%2e/secret.txt").statusCode()).isEqualTo(404);
        assertThat(get("/static/missing.js").statusCode()).isEqualTo(404);
    }

    @Test
    void unknownRoutesAre404AndWrongMethods405() throws Exception {
        assertThat(get("/nothing").statusCode()).isEqualTo(404);
        assertThat(get("/conferences/c/endpoints").statusCode()).isEqualTo(405);
        assertThat(post("/endpoints/ep-1/events", "").statusCode()).isEqualTo(405);
        assertThat(post("/endpoints/ep-1/dance", "").statusCode()).isEqualTo(404);
        assertThat(sfu.calls).isEmpty();
    }

    private String allocate(String participant) throws Exception {
        HttpResponse<String> r = post("/conferences/conf/endpoints", "{\"participant\":\"" + participant + "\"}");
        assertThat(r.statusCode()).isEqualTo(200);
        return json.readTree(r.body()).get("endpointId").asText();
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return http.send(request(path).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(server.baseUrl() + path)).timeout(TIMEOUT);
    }
}
