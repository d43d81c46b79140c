package org.conclave.tests.harness;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The room relay of {@link SignalServer} over real HTTP: membership windows, long-poll, refusals. */
class RoomRelayTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final String KEYS = "{\"keys\":[{\"index\":0,\"key\":\"AAAA\"}],\"device_id\":\"D\"}";

    @TempDir
    Path web;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    private final ObjectMapper json = new ObjectMapper();
    private SignalServer server;

    @BeforeEach
    void start() throws Exception {
        server = new SignalServer(new FakeSfuControl(), web);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void stateSaysTheRoomIsEncrypted() throws Exception {
        JsonNode state = json.readTree(get("/rooms/r/state").body());
        assertThat(state).hasSize(1);
        assertThat(state.get(0).get("type").asText()).isEqualTo("m.room.encryption");
        assertThat(state.get(0).get("state_key").asText()).isEmpty();
        assertThat(state.get(0).at("/content/algorithm").asText()).isEqualTo(RoomRelay.ENCRYPTION_ALGORITHM);
    }

    @Test
    void aMemberSeesEventsFromItsJoinToItsLeaveOnly() throws Exception {
        post("/rooms/r/join?member=alice", "");
        post("/rooms/r/send/io.element.call.encryption_keys?member=alice", KEYS); // 2: before bob joined
        post("/rooms/r/join?member=bob", ""); // 3
        post("/rooms/r/send/x.test?member=alice", "{\"n\":1}"); // 4
        post("/rooms/r/leave?member=bob", ""); // 5
        post("/rooms/r/send/x.test?member=alice", "{\"n\":2}"); // 6: after bob left

        assertThat(seqs(events("bob", 0))).containsExactly(3L, 4L, 5L);
        assertThat(seqs(events("alice", 0))).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
        assertThat(seqs(events("alice", 4))).containsExactly(5L, 6L);
        JsonNode keyEvent = json.readTree(get("/rooms/r/events?member=alice&after=1&timeoutMs=0").body()).get(0);
        assertThat(keyEvent.get("sender").asText()).isEqualTo("alice");
        assertThat(keyEvent.get("type").asText()).isEqualTo("io.element.call.encryption_keys");
        assertThat(keyEvent.at("/content/device_id").asText()).isEqualTo("D");

        // Having read up to its leave, bob is refused; the server remembers how far it got.
        assertThat(get("/rooms/r/events?member=bob&after=5&timeoutMs=0").statusCode()).isEqualTo(403);
        assertThat(server.rooms().room("r").deliveredUpTo("bob")).isEqualTo(5);
        assertThat(server.rooms().room("r").events("x.test")).hasSize(2);
    }

    @Test
    void outsidersCanNeitherReadNorSend() throws Exception {
        post("/rooms/r/join?member=alice", "");
        assertThat(get("/rooms/r/events?member=eve&timeoutMs=0").statusCode()).isEqualTo(403);
        assertThat(post("/rooms/r/send/x.test?member=eve", "{}").statusCode()).isEqualTo(403);
        assertThat(post("/rooms/r/leave?member=eve", "").statusCode()).isEqualTo(403);
        assertThat(post("/rooms/r/send/x.test?member=alice", "[1]").statusCode()).isEqualTo(400);
        assertThat(post("/rooms/r/send/x.test", "{}").statusCode()).isEqualTo(400);
        assertThat(server.rooms().room("r").events()).hasSize(1);
    }

    @Test
    void longPollWakesOnTheNextEvent() throws Exception {
        post("/rooms/r/join?member=alice", "");
        CompletableFuture<HttpResponse<String>> poll = http.sendAsync(
                request("/rooms/r/events?member=alice&after=1&timeoutMs=4000").GET().build(),
                HttpResponse.BodyHandlers.ofString());
        post("/rooms/r/join?member=bob", "");
        assertThat(seqs(json.readTree(poll.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).body()))).containsExactly(2L);
        assertThat(json.readTree(get("/rooms/r/events?member=alice&after=2&timeoutMs=50").body())).isEmpty();
    }

    private JsonNode events(String member, long after) throws Exception {
        HttpResponse<String> r = get("/rooms/r/events?member=" + member + "&after=" + after + "&timeoutMs=0");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return json.readTree(r.body());
    }

    private static List<Long> seqs(JsonNode events) {
        return java.util.stream.StreamSupport.stream(events.spliterator(), false).map(e -> e.get("seq").asLong()).toList();
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
