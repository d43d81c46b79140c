package org.conclave.appservice.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.conclave.appservice.config.AppserviceLimits;
import org.conclave.appservice.event.Delivery;
import org.conclave.appservice.event.EphemeralEvent;
import org.conclave.appservice.event.EventHandler;
import org.conclave.appservice.event.RoomEvent;
import org.conclave.appservice.journal.TransactionJournal;
import org.conclave.appservice.txn.Transaction;
import org.conclave.appservice.txn.TransactionObserver;
import org.conclave.appservice.txn.TransactionProcessor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A homeserver may batch far more than Synapse's 100 items per list: such a transaction is accepted (never refused: a
 * refusal would be retried for ever and hold back every later transaction), every item is handled exactly once, in
 * order within its room (or its sender's to-device queue), one at a time per queue, and a repeated delivery of it
 * handles nothing again. With the default window (two slices here) and with a small one (70 slices), where each slice
 * is handed over in a turn of the event loop of its own: a timer on that event loop runs between any two slices.
 */
class TransactionBatchTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    private static final String HS_TOKEN = "hs_right_token_0123456789";
    private static final String ROOM_A = "!a:hs";
    private static final String ROOM_B = "!b:hs";
    private static final int EVENTS = 5_000;
    private static final int EDUS = 1_000;
    private static final int MESSAGES = 1_000;

    @TempDir
    Path dir;

    private Vertx vertx;
    private ApiServer server;
    private TransactionJournal journal;
    private final Handler handler = new Handler();

    /** Records what each queue was handed, in order; answers every other unit a turn of the event loop later. */
    private final class Handler implements EventHandler {
        final Map<String, List<String>> handled = new ConcurrentHashMap<>();
        final Map<String, AtomicInteger> running = new ConcurrentHashMap<>();
        final AtomicInteger total = new AtomicInteger();
        final AtomicInteger overlaps = new AtomicInteger();

        private Future<Void> handle(String queue, String id) {
            if (running.computeIfAbsent(queue, q -> new AtomicInteger()).incrementAndGet() > 1) overlaps.incrementAndGet();
            handled.computeIfAbsent(queue, q -> java.util.Collections.synchronizedList(new ArrayList<>())).add(id);
            int n = total.incrementAndGet();
            synchronized (this) {
                notifyAll(); // awaitHandled
            }
            if (n % 2 == 0) {
                running.get(queue).decrementAndGet();
                return Future.succeededFuture();
            }
            Promise<Void> later = Promise.promise();
            vertx.runOnContext(v -> {
                running.get(queue).decrementAndGet();
                later.complete();
            });
            return later.future();
        }

        @Override
        public Future<Void> onRoomEvent(RoomEvent event, Delivery delivery) {
            return handle(event.roomId(), event.eventId());
        }

        @Override
        public Future<Void> onEphemeral(EphemeralEvent event, Delivery delivery) {
            return handle("edu " + event.roomId(), event.content().getString("n"));
        }

        @Override
        public Future<Void> onToDevice(EphemeralEvent message, Delivery delivery) {
            return handle("to-device " + message.sender(), message.content().getString("seq"));
        }
    }

    /** Per slice: its units and the ticks a timer on the pipeline's event loop had made when it was handed over. */
    private final List<int[]> slices = new CopyOnWriteArrayList<>();
    private final AtomicInteger ticks = new AtomicInteger();
    private volatile boolean ticking = true;

    /** Counts slices, and starts a timer on the pipeline's event loop (its context) at the first. */
    private final TransactionObserver slicesAndTicks = new TransactionObserver() {
        @Override
        public void beforeAcknowledge(Transaction txn) {}

        @Override
        public void onSlice(Transaction txn, int units) {
            if (slices.isEmpty()) tick(Vertx.currentContext());
            slices.add(new int[] {units, ticks.get()});
        }
    };

    private void tick(Context context) {
        context.runOnContext(v -> {
            ticks.incrementAndGet();
            if (ticking) tick(context);
        });
    }

    private void start(int unitsInFlight) throws Exception {
        vertx = Vertx.vertx();
        server = ApiServer.start(vertx, "127.0.0.1", 0, TIMEOUT);
        journal = TransactionJournal.open(dir.resolve("appservice.journal"), 100_000);
        TransactionProcessor processor = new TransactionProcessor(vertx, journal, handler, slicesAndTicks,
                5_000, AppserviceLimits.DEFAULT_TRANSACTION_ACK_WAIT_MS, unitsInFlight);
        server.serve(new AsApi(new HsTokenAuth(HS_TOKEN), processor, userId -> Future.succeededFuture(false),
                id -> {}, AppserviceLimits.DEFAULTS));
    }

    @AfterEach
    void stop() throws Exception {
        ticking = false;
        server.close(TIMEOUT);
        journal.close();
        vertx.close().await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    @ParameterizedTest
    @ValueSource(ints = {AppserviceLimits.DEFAULT_TRANSACTION_UNITS_IN_FLIGHT, 200})
    void thousandsOfItemsInOneTransactionAreEachHandledOnceInOrderPerRoom(int unitsInFlight) throws Exception {
        start(unitsInFlight);
        Map<String, List<String>> expected = new LinkedHashMap<>();
        JsonArray events = new JsonArray();
        for (int i = 0; i < EVENTS; i++) {
            // Call events in two rooms, noise between them in those rooms and in 50 others.
            String room = switch (i % 4) {
                case 0, 2 -> ROOM_A;
                case 1 -> ROOM_B;
                default -> "!noise-" + i % 50 + ":hs";
            };
            JsonObject event = new JsonObject().put("event_id", "$e" + i).put("room_id", room)
                    .put("sender", "@u" + i % 7 + ":hs").put("content", new JsonObject());
            switch (i % 4) {
                case 0 -> event.put("type", "org.matrix.msc3401.call.member").put("state_key", "_@u" + i + ":hs_D")
                        .put("content", new JsonObject().put("application", "m.call"));
                case 1 -> event.put("type", "m.call.invite");
                default -> event.put("type", "m.room.message").put("content", new JsonObject().put("body", "hi"));
            }
            events.add(event);
            expected.computeIfAbsent(room, r -> new ArrayList<>()).add("$e" + i);
        }
        JsonArray edus = new JsonArray();
        for (int i = 0; i < EDUS; i++) {
            String room = i % 2 == 0 ? ROOM_A : ROOM_B;
            edus.add(new JsonObject().put("type", "m.typing").put("room_id", room)
                    .put("content", new JsonObject().put("n", "t" + i)));
            expected.computeIfAbsent("edu " + room, r -> new ArrayList<>()).add("t" + i);
        }
        JsonArray messages = new JsonArray();
        for (int i = 0; i < MESSAGES; i++) {
            String sender = i % 3 == 0 ? "@alice:hs" : "@bob:hs";
            messages.add(new JsonObject().put("type", "m.call.candidates").put("sender", sender)
                    .put("to_user_id", "@conclave:hs").put("to_device_id", "CONCLAVE")
                    .put("content", new JsonObject().put("seq", "s" + i)));
            expected.computeIfAbsent("to-device " + sender, r -> new ArrayList<>()).add("s" + i);
        }
        String body = new JsonObject().put("events", events).put("ephemeral", edus).put("to_device", messages)
                .encode();
        int units = EVENTS + EDUS + MESSAGES;

        assertThat(put("big", body).statusCode()).isEqualTo(200);
        awaitHandled(units);

        assertThat(handler.handled).isEqualTo(expected);
        assertThat(handler.overlaps).as("units of one queue running at once").hasValue(0);
        int slice = unitsInFlight / 2;
        assertThat(slices).as("slices").hasSize((units + slice - 1) / slice);
        assertThat(slices).allSatisfy(s -> assertThat(s[0]).as("units of a slice").isLessThanOrEqualTo(slice));
        for (int i = 1; i < slices.size(); i++) {
            assertThat(slices.get(i)[1]).as("timer ticks before slice " + i).isGreaterThan(slices.get(i - 1)[1]);
        }

        // The homeserver did not get the answer and sends it again: acknowledged, nothing handled twice.
        assertThat(put("big", body).statusCode()).isEqualTo(200);
        String next = new JsonObject().put("events", new JsonArray().add(new JsonObject().put("event_id", "$next")
                .put("room_id", ROOM_A).put("type", "m.room.message").put("sender", "@u:hs"))).encode();
        assertThat(put("next", next).statusCode()).isEqualTo(200);
        awaitHandled(units + 1);
        assertThat(handler.handled.get(ROOM_A)).hasSize(expected.get(ROOM_A).size() + 1).endsWith("$next");
    }

    /** The acknowledgement may come before the last unit is handled (transaction_ack_wait_ms): waits for the handler. */
    private void awaitHandled(int units) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        synchronized (handler) {
            for (long left; handler.total.get() < units && (left = deadline - System.nanoTime()) > 0; ) {
                TimeUnit.NANOSECONDS.timedWait(handler, left);
            }
        }
        assertThat(handler.total).as("units handled").hasValue(units);
    }

    private HttpResponse<String> put(String txnId, String body) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(URI.create(server.url() + "/_matrix/app/v1/transactions/" + txnId))
                .timeout(TIMEOUT).header("Authorization", "Bearer " + HS_TOKEN)
                .PUT(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
