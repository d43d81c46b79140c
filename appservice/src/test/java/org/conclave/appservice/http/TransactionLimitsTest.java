package org.conclave.appservice.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.conclave.appservice.config.AppserviceLimits;
import org.conclave.appservice.journal.TransactionJournal;
import org.conclave.appservice.ops.metrics.AppserviceMetrics;
import org.conclave.appservice.txn.RecordingHandler;
import org.conclave.appservice.txn.TransactionProcessor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The configured transaction limits over real HTTP, set low: a body beyond {@code max_transaction_kib} or
 * {@code max_transaction_depth} or {@code max_transaction_values} is refused with an error naming the key, counted by
 * it, and changes nothing; the
 * homeserver's next, ordinary transaction is processed at once. An item beyond {@code max_event_depth},
 * {@code max_number_chars} or {@code max_item_values} is left out and counted, its neighbours processed.
 */
class TransactionLimitsTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    private static final String HS_TOKEN = "hs_right_token_0123456789";
    /** max_item_values 100, max_transaction_values the least it allows with it: 300 × 100 + 1,000 + 1. */
    private static final AppserviceLimits LIMITS = new AppserviceLimits(256, 16, 1_000, 25, 100, 31_001,
            AppserviceLimits.DEFAULT_TRANSACTION_ACK_WAIT_MS, AppserviceLimits.DEFAULT_HOMESERVER_CONNECTIONS);
    private static final String EVENT = "{\"event_id\":\"$%s\",\"room_id\":\"!r:hs\",\"type\":\"m.room.message\","
            + "\"sender\":\"@u:hs\",\"content\":%s}";

    @TempDir
    static Path dir;

    private static Vertx vertx;
    private static ApiServer server;
    private static TransactionJournal journal;
    private static final RecordingHandler HANDLER = new RecordingHandler();
    private static final SimpleMeterRegistry METRICS = new SimpleMeterRegistry();
    private static int txnIds;

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        server = ApiServer.start(vertx, "127.0.0.1", 0, TIMEOUT);
        journal = TransactionJournal.open(dir.resolve("appservice.journal"), 1000);
        TransactionProcessor processor = new TransactionProcessor(vertx, journal, HANDLER,
                new AppserviceMetrics(METRICS).transactions(), 5000, 5000);
        server.serve(new AsApi(new HsTokenAuth(HS_TOKEN), processor, userId -> Future.succeededFuture(false),
                id -> {}, LIMITS));
    }

    @AfterAll
    static void stop() throws Exception {
        server.close(TIMEOUT);
        journal.close();
        vertx.close().await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static String event(String id, String content) {
        return EVENT.formatted(id, content);
    }

    private static String txn(String... events) {
        return "{\"events\":[" + String.join(",", events) + "]}";
    }

    /** name, body, whether the token is sent, status, errcode, limit label, what the error names. */
    static Stream<Arguments> refused() {
        String big = txn(event("big", "{\"body\":\"" + "x".repeat(256 * 1024) + "\"}"));
        String deep = "{\"events\":[" + event("beside-deep", "{}") + "," + "[".repeat(999) + "]".repeat(999) + "]}";
        // The body, the list and 31,000 items of one value each (numbers, left out as not events): 31,002.
        String many = "{\"events\":[" + "0,".repeat(30_999) + "0]}";
        return Stream.of(
                Arguments.of("over max_transaction_kib", big, true, 413, "M_TOO_LARGE", "max_transaction_kib",
                        "appservice.max_transaction_kib (256 KiB)"),
                Arguments.of("over max_transaction_depth", deep, true, 400, "M_BAD_JSON", "max_transaction_depth",
                        "appservice.max_transaction_depth (1000 levels)"),
                Arguments.of("over max_transaction_values", many, true, 413, "M_TOO_LARGE", "max_transaction_values",
                        "appservice.max_transaction_values (31001)"),
                Arguments.of("not JSON", "{\"events\":[", true, 400, "M_NOT_JSON", "none", "not valid JSON"));
    }

    @ParameterizedTest(name = "{0} -> {3} {4}")
    @MethodSource("refused")
    void aBodyBeyondALimitIsRefusedNamingItCountedAndChangesNothing(String name, String body, boolean token,
            int status, String errcode, String limit, String named) throws Exception {
        double refusedBefore = refused(limit);
        long journalBefore = journalBytes();
        int handledBefore = HANDLER.calls().size();

        HttpResponse<String> response = put(body, token);

        assertThat(response.statusCode()).isEqualTo(status);
        JsonObject error = new JsonObject(response.body());
        assertThat(error.getString("errcode")).isEqualTo(errcode);
        assertThat(error.getString("error")).contains(named);
        awaitCount("conclave.appservice.transactions.refused", limit, refusedBefore + 1);
        assertThat(journalBytes()).as("journal").isEqualTo(journalBefore);
        assertThat(HANDLER.calls()).hasSize(handledBefore);

        // The homeserver's next transaction goes through at once.
        String next = "after-" + limit + "-" + txnIds;
        assertThat(put(txn(event(next, "{}")), true).statusCode()).isEqualTo(200);
        assertThat(HANDLER.ids()).endsWith("$" + next);
    }

    /** A stranger announcing a huge body is refused on its headers: nothing of the body is waited for or buffered. */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"no token, '', 401, M_MISSING_TOKEN", "wrong token, Bearer not-the-token, 403, M_FORBIDDEN"})
    void aStrangersBodyIsNeverReadTheTokenIsCheckedFirst(String name, String authorization, int status,
            String errcode) throws Exception {
        double refusedBefore = refused("max_transaction_kib");
        URI uri = URI.create(server.url());
        try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
            socket.setSoTimeout((int) TIMEOUT.toMillis());
            String head = "PUT /_matrix/app/v1/transactions/stranger-" + ++txnIds + " HTTP/1.1\r\n"
                    + "Host: " + uri.getHost() + "\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + (1L << 30) + "\r\n"
                    + (authorization.isEmpty() ? "" : "Authorization: " + authorization + "\r\n") + "\r\n{\"events\":[";
            socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            // Only the headers and 11 bytes of a 1 GiB body were sent: the answer must not wait for the rest.
            StringBuilder answer = new StringBuilder();
            for (int b; answer.indexOf(errcode) < 0 && (b = socket.getInputStream().read()) >= 0; ) {
                answer.append((char) b);
            }
            assertThat(answer.toString()).startsWith("HTTP/1.1 " + status).contains(errcode);
        } catch (java.net.SocketTimeoutException e) {
            throw new AssertionError("no answer within " + TIMEOUT + " to a stranger's announced 1 GiB body", e);
        }
        assertThat(refused("max_transaction_kib")).isEqualTo(refusedBefore);
    }

    @Test
    void itemsBeyondTheirLimitsAreLeftOutCountedAndTheirNeighboursProcessed() throws Exception {
        double deepBefore = skipped("max_event_depth");
        double numberBefore = skipped("max_number_chars");
        String deep = "{\"a\":" + "[".repeat(13) + "]".repeat(13) + "}"; // 3 + 1 + 13 = 17 levels
        String number = "{\"n\":1" + "0".repeat(25) + "}"; // 26 characters

        HttpResponse<String> response = put(txn(event("first", "{}"), event("too-deep", deep),
                event("long-number", number), event("last", "{\"n\":1" + "0".repeat(24) + "}")), true);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(HANDLER.ids()).contains("$first", "$last").doesNotContain("$too-deep", "$long-number");
        awaitCount("conclave.appservice.items.skipped", "max_event_depth", deepBefore + 1);
        awaitCount("conclave.appservice.items.skipped", "max_number_chars", numberBefore + 1);
    }

    /**
     * 99 dense events (500 values each: 50,000 in all, beyond max_transaction_values, which refused such a
     * transaction whole and had the homeserver retry it for ever) and a call event: accepted, the call event handled.
     */
    @Test
    void denseItemsAreLeftOutAloneTheirTransactionIsAcceptedAndTheRestHandled() throws Exception {
        double valuesBefore = skipped("max_item_values");
        double refusedBefore = refused("max_transaction_values");
        String dense = event("dense-%d", "{\"l\":[" + "0,".repeat(492) + "0]}");
        String[] events = new String[100];
        for (int i = 0; i < 99; i++) events[i] = dense.formatted(i);
        events[99] = "{\"event_id\":\"$call-beside-dense\",\"room_id\":\"!r:hs\","
                + "\"type\":\"org.matrix.msc3401.call.member\",\"sender\":\"@u:hs\",\"state_key\":\"_@u:hs_D\","
                + "\"content\":{\"application\":\"m.call\"}}";

        HttpResponse<String> response = put(txn(events), true);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(HANDLER.ids()).contains("$call-beside-dense").noneMatch(id -> id.startsWith("$dense-"));
        awaitCount("conclave.appservice.items.skipped", "max_item_values", valuesBefore + 99);
        assertThat(refused("max_transaction_values")).isEqualTo(refusedBefore);
    }

    private static double refused(String limit) {
        return METRICS.counter("conclave.appservice.transactions.refused", "limit", limit).count();
    }

    private static double skipped(String limit) {
        return METRICS.counter("conclave.appservice.items.skipped", "limit", limit).count();
    }

    /** Counters move on the pipeline's event loop, after the answer may have gone out: poll with a deadline. */
    private static void awaitCount(String name, String limit, double expected) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (METRICS.counter(name, "limit", limit).count() < expected && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(METRICS.counter(name, "limit", limit).count()).as("%s{limit=%s}", name, limit)
                .isEqualTo(expected);
    }

    private static long journalBytes() throws Exception {
        return Files.exists(journal.path()) ? Files.size(journal.path()) : 0;
    }

    private static HttpResponse<String> put(String body, boolean token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.url()
                        + "/_matrix/app/v1/transactions/" + ++txnIds)).timeout(TIMEOUT)
                .PUT(HttpRequest.BodyPublishers.ofString(body));
        if (token) request.header("Authorization", "Bearer " + HS_TOKEN);
        return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
