package org.conclave.appservice.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.conclave.appservice.LogCapture;
import org.conclave.appservice.config.AppserviceConfig;
import org.conclave.appservice.config.AppserviceLimits;
import org.conclave.appservice.journal.TransactionJournal;
import org.conclave.appservice.registration.UserNamespace;
import org.conclave.appservice.txn.RecordingHandler;
import org.conclave.appservice.txn.TransactionObserver;
import org.conclave.appservice.txn.TransactionProcessor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The AS API over real HTTP: every endpoint, every way of getting authentication or the body wrong. */
class AsApiTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    private static final String HS_TOKEN = "hs_right_token_0123456789";
    private static final String WRONG = "hs_wrong_token_0123456789";
    private static final AppserviceConfig CONFIG = new AppserviceConfig("http://127.0.0.1:1", "hs", "127.0.0.1", 0,
            "conclave", "conclave", "_conclave_", "unused");

    @TempDir
    static Path dir;

    private static LogCapture logs;
    private static Vertx vertx;
    private static ApiServer server;
    private static TransactionJournal journal;
    private static final RecordingHandler HANDLER = new RecordingHandler();
    private static final List<String> CREATED = new CopyOnWriteArrayList<>();
    private static final List<String> PINGS = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        logs = new LogCapture();
        vertx = Vertx.vertx();
        server = ApiServer.start(vertx, "127.0.0.1", 0, TIMEOUT);
        journal = TransactionJournal.open(dir.resolve("appservice.journal"), 1000);
        TransactionProcessor processor = new TransactionProcessor(vertx, journal, HANDLER, TransactionObserver.NONE,
                5000, 5000);
        UserNamespace namespace = new UserNamespace(CONFIG);
        server.serve(new AsApi(new HsTokenAuth(HS_TOKEN), processor, userId -> {
            if (!namespace.contains(userId)) return Future.succeededFuture(false);
            CREATED.add(userId);
            return Future.succeededFuture(true);
        }, PINGS::add, AppserviceLimits.DEFAULTS));
    }

    @AfterAll
    static void stop() throws Exception {
        server.close(TIMEOUT);
        journal.close();
        vertx.close().await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        logs.close();
        // Wrong tokens were refused and logged as such: neither the right nor a wrong token is in the log.
        assertThat(logs.lines()).anyMatch(l -> l.contains("wrong homeserver token"))
                .noneMatch(l -> l.contains(HS_TOKEN) || l.contains(WRONG));
    }

    /** Everything a request could have changed. */
    private record State(int handled, long journalBytes, int created, int pings) {}

    private static State state() throws Exception {
        Path file = journal.path();
        return new State(HANDLER.calls().size(), Files.exists(file) ? Files.size(file) : 0, CREATED.size(),
                PINGS.size());
    }

    private static String txnBody(String eventId) {
        return new JsonObject().put("events", new JsonArray().add(new JsonObject().put("event_id", eventId)
                .put("room_id", "!r:hs").put("type", "m.room.message").put("sender", "@u:hs")
                .put("content", new JsonObject()))).encode();
    }

    /** An endpoint as the homeserver calls it with a correct body. */
    private record Endpoint(String method, String path, String body) {
        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    private static final List<Endpoint> ENDPOINTS = List.of(
            new Endpoint("PUT", "/_matrix/app/v1/transactions/100", txnBody("$t100")),
            new Endpoint("PUT", "/transactions/101", txnBody("$t101")),
            new Endpoint("GET", "/_matrix/app/v1/users/@_conclave_a:hs", null),
            new Endpoint("GET", "/users/@_conclave_b:hs", null),
            new Endpoint("GET", "/_matrix/app/v1/rooms/%23alias:hs", null),
            new Endpoint("GET", "/rooms/%23alias:hs", null),
            new Endpoint("POST", "/_matrix/app/v1/ping", "{\"transaction_id\":\"p1\"}"));

    /** name, Authorization header (null = none), access_token query (null = none), status, errcode. */
    private static final List<Object[]> BAD_AUTH = List.of(
            new Object[] {"no token at all", null, null, 401, "M_MISSING_TOKEN"},
            new Object[] {"empty Bearer", "Bearer ", null, 401, "M_MISSING_TOKEN"},
            new Object[] {"other scheme", "Basic " + HS_TOKEN, null, 401, "M_MISSING_TOKEN"},
            new Object[] {"empty query token", null, "", 401, "M_MISSING_TOKEN"},
            new Object[] {"wrong Bearer", "Bearer " + WRONG, null, 403, "M_FORBIDDEN"},
            new Object[] {"wrong query token", null, WRONG, 403, "M_FORBIDDEN"},
            new Object[] {"prefix of the token", "Bearer " + HS_TOKEN.substring(0, 10), null, 403, "M_FORBIDDEN"},
            new Object[] {"token plus more", "Bearer " + HS_TOKEN + "x", null, 403, "M_FORBIDDEN"},
            new Object[] {"right Bearer, wrong query", "Bearer " + HS_TOKEN, WRONG, 403, "M_FORBIDDEN"},
            new Object[] {"wrong Bearer, right query", "Bearer " + WRONG, HS_TOKEN, 403, "M_FORBIDDEN"},
            new Object[] {"empty Bearer, wrong query", "Bearer ", WRONG, 403, "M_FORBIDDEN"});

    static Stream<Arguments> badAuthentication() {
        List<Arguments> cases = new ArrayList<>();
        for (Endpoint endpoint : ENDPOINTS) {
            for (Object[] auth : BAD_AUTH) {
                cases.add(Arguments.of(endpoint, auth[0], auth[1], auth[2], auth[3], auth[4]));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} with {1} -> {4} {5}")
    @MethodSource("badAuthentication")
    void badAuthenticationIsRefusedAndChangesNothing(Endpoint endpoint, String name, String header, String query,
            int status, String errcode) throws Exception {
        State before = state();

        HttpResponse<String> response = send(endpoint.method, endpoint.path, header, query, endpoint.body);

        assertError(response, status, errcode);
        assertThat(state()).isEqualTo(before);
    }

    static Stream<Arguments> badBodies() {
        List<Arguments> cases = new ArrayList<>();
        for (String path : List.of("/_matrix/app/v1/transactions/200", "/transactions/201")) {
            cases.add(Arguments.of("PUT", path, "", 400, "M_NOT_JSON"));
            cases.add(Arguments.of("PUT", path, "{not json", 400, "M_NOT_JSON"));
            cases.add(Arguments.of("PUT", path, "[]", 400, "M_BAD_JSON"));
            cases.add(Arguments.of("PUT", path, "{\"events\": 5}", 400, "M_BAD_JSON"));
            cases.add(Arguments.of("PUT", path, "{\"events\": [], \"ephemeral\": {}}", 400, "M_BAD_JSON"));
            // Deeper than appservice.max_transaction_depth (100,000 levels by default, more than any spec-sized
            // event can be): refused whole, quickly, before anything is recorded (TransactionLimitsTest: the others).
            cases.add(Arguments.of("PUT", path, "{\"events\": " + "[".repeat(200_000) + "]".repeat(200_000) + "}",
                    400, "M_BAD_JSON"));
        }
        cases.add(Arguments.of("POST", "/_matrix/app/v1/ping", "", 400, "M_NOT_JSON"));
        cases.add(Arguments.of("POST", "/_matrix/app/v1/ping", "ping", 400, "M_NOT_JSON"));
        cases.add(Arguments.of("POST", "/_matrix/app/v1/ping", "[\"x\"]", 400, "M_BAD_JSON"));
        cases.add(Arguments.of("POST", "/_matrix/app/v1/ping", "null", 400, "M_BAD_JSON"));
        cases.add(Arguments.of("POST", "/_matrix/app/v1/ping", "{\"transaction_id\": 5}", 400, "M_BAD_JSON"));
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} {1} with body <{2}> -> {3} {4}")
    @MethodSource("badBodies")
    void badBodiesAreRefusedAndChangeNothing(String method, String path, String body, int status, String errcode)
            throws Exception {
        State before = state();

        HttpResponse<String> response = send(method, path, "Bearer " + HS_TOKEN, null, body);

        assertError(response, status, errcode);
        assertThat(state()).isEqualTo(before);
    }

    static Stream<Arguments> unknownRoutes() {
        return Stream.of(
                Arguments.of("GET", "/_matrix/app/v1/transactions/1", 405),
                Arguments.of("POST", "/transactions/1", 405),
                Arguments.of("DELETE", "/_matrix/app/v1/users/@_conclave_a:hs", 405),
                Arguments.of("PUT", "/rooms/%23a:hs", 405),
                Arguments.of("GET", "/_matrix/app/v1/ping", 405),
                Arguments.of("PUT", "/_matrix/app/v1/transactions", 404),
                Arguments.of("PUT", "/_matrix/app/v2/transactions/1", 404),
                Arguments.of("POST", "/ping", 404),
                Arguments.of("GET", "/_matrix/app/v1/thirdparty/protocol/irc", 404),
                Arguments.of("GET", "/_matrix/app/unstable/thirdparty/user", 404));
    }

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @MethodSource("unknownRoutes")
    void unknownPathsAndMethodsAreUnrecognizedWhateverTheToken(String method, String path, int status)
            throws Exception {
        State before = state();

        for (String auth : new String[] {null, "Bearer " + WRONG, "Bearer " + HS_TOKEN}) {
            assertError(send(method, path, auth, null, "{}"), status, "M_UNRECOGNIZED");
        }
        assertThat(state()).isEqualTo(before);
    }

    /**
     * One event nested 5000 levels deep (a homeserver without Synapse's recursion limit passes it on, and it fits in a
     * 64 KiB event) is left out; the transaction is acknowledged and the events around it reach the handler. A 400
     * would make the homeserver retry the transaction for ever.
     */
    @Test
    void aDeeplyNestedEventIsLeftOutAndTheRestOfItsTransactionProcessed() throws Exception {
        JsonObject txn = new JsonObject(txnBody("$before-deep"));
        JsonObject deep = new JsonObject().put("event_id", "$deep").put("room_id", "!r:hs")
                .put("type", "m.room.message").put("sender", "@u:hs");
        String deepEvent = deep.encode().replace("}", ",\"content\":{\"a\":" + "[".repeat(5000) + "]".repeat(5000)
                + "}}");
        JsonObject after = new JsonObject(txnBody("$after-deep")).getJsonArray("events").getJsonObject(0);
        String body = "{\"events\":[" + txn.getJsonArray("events").getJsonObject(0).encode() + "," + deepEvent + ","
                + after.encode() + "]}";

        HttpResponse<String> response = send("PUT", "/_matrix/app/v1/transactions/deep", "Bearer " + HS_TOKEN, null,
                body);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(HANDLER.ids()).contains("$before-deep", "$after-deep").doesNotContain("$deep");
    }

    @Test
    void transactionsAreAcceptedWithEitherAuthenticationOnEitherPathAndProcessedOnce() throws Exception {
        String[][] variants = {
            {"/_matrix/app/v1/transactions/1", "Bearer " + HS_TOKEN, null},
            {"/transactions/2", null, HS_TOKEN},
            {"/_matrix/app/v1/transactions/3", "bearer " + HS_TOKEN, HS_TOKEN},
        };
        int i = 0;
        for (String[] v : variants) {
            String eventId = "$ok" + i++;
            HttpResponse<String> first = send("PUT", v[0], v[1], v[2], txnBody(eventId));
            HttpResponse<String> retry = send("PUT", v[0], v[1], v[2], txnBody(eventId));

            assertThat(first.statusCode()).as(v[0]).isEqualTo(200);
            assertThat(new JsonObject(first.body())).isEqualTo(new JsonObject());
            assertThat(first.headers().firstValue("Server-Timing")).as("its phases, for the homeserver's operator")
                    .hasValueSatisfying(t -> assertThat(t).matches("read;dur=[0-9.]+, parse;dur=[0-9.]+,"
                            + " queue;dur=[0-9.]+, hand_over;dur=[0-9.]+, wait;dur=[0-9.]+, record;dur=[0-9.]+"));
            assertThat(retry.statusCode()).isEqualTo(200);
            assertThat(HANDLER.ids().stream().filter(eventId::equals)).hasSize(1);
        }
    }

    @Test
    void userQueryAnswersForTheNamespaceOnly() throws Exception {
        String auth = "Bearer " + HS_TOKEN;

        assertThat(send("GET", "/_matrix/app/v1/users/%40_conclave_new%3Ahs", auth, null, null).statusCode())
                .isEqualTo(200);
        assertThat(CREATED).contains("@_conclave_new:hs");
        assertThat(send("GET", "/users/@conclave:hs", auth, null, null).statusCode()).isEqualTo(200);
        assertError(send("GET", "/_matrix/app/v1/users/@alice:hs", auth, null, null), 404, "M_NOT_FOUND");
        assertError(send("GET", "/_matrix/app/v1/users/@_conclave_x:other", auth, null, null), 404, "M_NOT_FOUND");
        assertError(send("GET", "/_matrix/app/v1/rooms/%23anything:hs", auth, null, null), 404, "M_NOT_FOUND");
    }

    @Test
    void pingAnswersEmptyAndReportsItsTransactionId() throws Exception {
        HttpResponse<String> response = send("POST", "/_matrix/app/v1/ping", null, HS_TOKEN,
                "{\"transaction_id\":\"conclave_ping_7\"}");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(new JsonObject(response.body())).isEqualTo(new JsonObject());
        assertThat(PINGS).contains("conclave_ping_7");
    }

    private static void assertError(HttpResponse<String> response, int status, String errcode) {
        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
        assertThat(new JsonObject(response.body()).getString("errcode")).isEqualTo(errcode);
    }

    static HttpResponse<String> send(String method, String path, String authorization, String accessToken,
            String body) throws Exception {
        String uri = server.url() + path + (accessToken == null ? "" : "?access_token=" + accessToken);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(uri)).timeout(TIMEOUT)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) request.header("Authorization", authorization);
        return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
