package org.conclave.tests.homeserver;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.WebClient;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Delivers events to the appservice the way Synapse's appservice sender does: a queue per appservice, one
 * transaction in flight at a time, up to {@link Options#maxBatch} items per transaction, increasing transaction ids,
 * and a failed transaction retried (same id, same items, {@code unsigned.age} recomputed) with growing waits until it
 * is acknowledged, holding back everything queued behind it. Test controls: pause/resume, deliver the last
 * acknowledged transaction again, restart the id count at 1 (Synapse on SQLite after its restart), auth and path style.
 */
public final class AppservicePusher implements AutoCloseable {
    public enum AuthStyle {
        /** {@code Authorization: Bearer} (Synapse 1.70+ with legacy auth off). */
        HEADER,
        /** {@code ?access_token=} (older homeservers). */
        QUERY,
        /** Both (what homeservers send for maximum compatibility). */
        BOTH
    }

    public enum PathStyle {
        /** {@code /_matrix/app/v1/transactions/{txnId}}. */
        V1,
        /** {@code /transactions/{txnId}} (before spec r0.1 prefixes; Synapse before 1.81 fell back to it). */
        LEGACY
    }

    /** Under which key(s) EDUs and to-device messages go (MSC2409; Synapse sends only the unstable ones today). */
    public enum ToDeviceKey {
        /** {@code de.sorunome.msc2409.ephemeral} / {@code de.sorunome.msc2409.to_device} (Synapse). */
        UNSTABLE,
        /** {@code ephemeral} / {@code to_device} (the names MSC2409/MSC4203 will give them). */
        STABLE,
        /** Both, the same items under each (a homeserver in transition). */
        BOTH
    }

    /**
     * @param initialBackoff first wait after a failed delivery; doubles up to {@code maxBackoff}
     */
    public record Options(AuthStyle auth, PathStyle path, int maxBatch, Duration initialBackoff,
            Duration maxBackoff, Duration requestTimeout, ToDeviceKey toDeviceKey) {
        public static Options defaults() {
            return new Options(AuthStyle.HEADER, PathStyle.V1, 100, Duration.ofMillis(50), Duration.ofMillis(400),
                    Duration.ofSeconds(10), ToDeviceKey.UNSTABLE);
        }

        public Options with(AuthStyle value) {
            return new Options(value, path, maxBatch, initialBackoff, maxBackoff, requestTimeout, toDeviceKey);
        }

        public Options with(PathStyle value) {
            return new Options(auth, value, maxBatch, initialBackoff, maxBackoff, requestTimeout, toDeviceKey);
        }

        public Options with(ToDeviceKey value) {
            return new Options(auth, path, maxBatch, initialBackoff, maxBackoff, requestTimeout, value);
        }

        public Options withMaxBatch(int value) {
            return new Options(auth, path, value, initialBackoff, maxBackoff, requestTimeout, toDeviceKey);
        }
    }

    /**
     * One HTTP attempt.
     *
     * @param status 0 when there was no answer
     * @param duplicate a test-requested repeat of an acknowledged transaction
     * @param sentNanos when the request went out ({@link System#nanoTime})
     * @param answeredNanos when its answer (or failure) came back
     * @param serverTiming the answer's {@code Server-Timing} header (the appservice's phases), null when none
     */
    public record Delivery(String txnId, List<String> eventIds, List<JsonObject> toDevice, Set<String> bodyKeys,
            int attempt, int status, boolean duplicate, long sentNanos, long answeredNanos, String serverTiming) {
        /** From the request sent to its answer. */
        public long nanos() {
            return answeredNanos - sentNanos;
        }
    }

    private record Txn(String id, List<Item> items) {}

    /** An event or EDU/to-device item, with the section it goes in. */
    private record Item(String section, JsonObject json) {}

    private static final String EVENTS = "events";
    private static final String EPHEMERAL = "ephemeral";
    private static final String TO_DEVICE = "to_device";
    private static final String UNSTABLE_PREFIX = "de.sorunome.msc2409.";

    private final Vertx vertx;
    private final Context context;
    private final WebClient web;
    private final Supplier<String> url;
    private final Supplier<String> hsToken;
    private volatile Options options;

    // Guarded by this; changed on the pusher's context only.
    private final Deque<Item> queue = new ArrayDeque<>();
    private final Deque<Txn> duplicates = new ArrayDeque<>();
    private final List<Delivery> deliveries = new ArrayList<>();
    private Txn inFlight;
    private Txn lastAcknowledged;
    /** Every acknowledged transaction, oldest first (tests are short). */
    private final List<Txn> acknowledged = new ArrayList<>();
    private long nextTxnId = 1;
    private boolean paused;
    private boolean closed;
    private int acknowledgedItems;

    AppservicePusher(Vertx vertx, Supplier<String> url, Supplier<String> hsToken, Options options) {
        this.vertx = vertx;
        this.context = vertx.getOrCreateContext();
        this.web = WebClient.create(vertx);
        this.url = url;
        this.hsToken = hsToken;
        this.options = options;
    }

    public void options(Options value) {
        this.options = value;
    }

    void offer(JsonObject event) {
        enqueue(new Item(EVENTS, event));
    }

    /** Queues an EDU (sent under the ephemeral key(s) of {@link Options#toDeviceKey}). */
    public void offerEphemeral(JsonObject edu) {
        enqueue(new Item(EPHEMERAL, edu.copy()));
    }

    /** Queues a to-device message (sent under the to-device key(s) of {@link Options#toDeviceKey}). */
    public void offerToDevice(JsonObject message) {
        enqueue(new Item(TO_DEVICE, message.copy()));
    }

    /** Holds new transactions back (one in flight still completes); events keep queueing. */
    public synchronized void pause() {
        paused = true;
    }

    public void resume() {
        synchronized (this) {
            paused = false;
        }
        context.runOnContext(v -> pump());
    }

    /** Sends the last acknowledged transaction once more, same id, same items (a lost 200 seen from Synapse). */
    public void redeliverLast() {
        synchronized (this) {
            if (lastAcknowledged == null) throw new IllegalStateException("nothing acknowledged yet");
            duplicates.add(lastAcknowledged);
        }
        context.runOnContext(v -> pump());
    }

    /**
     * Sends the acknowledged transaction that carried this event once more, same id, same items (a lost 200 of an
     * earlier transaction).
     *
     * @return the transaction id redelivered
     */
    public String redeliver(String eventId) {
        Txn txn;
        synchronized (this) {
            txn = acknowledgedCarrying(eventId);
            duplicates.add(txn);
        }
        context.runOnContext(v -> pump());
        return txn.id;
    }

    /**
     * Queues an acknowledged event again, to go out in a new transaction with a new id (a homeserver that lost its
     * record of the acknowledgement, e.g. restored from a backup).
     */
    public void resend(String eventId) {
        Item item;
        synchronized (this) {
            item = acknowledgedCarrying(eventId).items.stream()
                    .filter(i -> i.section.equals(EVENTS) && eventId.equals(i.json.getString("event_id")))
                    .findFirst().orElseThrow();
        }
        enqueue(item);
    }

    private Txn acknowledgedCarrying(String eventId) {
        return acknowledged.stream()
                .filter(t -> t.items.stream().anyMatch(i -> i.section.equals(EVENTS)
                        && eventId.equals(i.json.getString("event_id"))))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no acknowledged transaction carried " + eventId));
    }

    /** The next new transaction gets id 1 again. */
    public synchronized void restartTxnIds() {
        nextTxnId = 1;
    }

    public synchronized List<Delivery> deliveries() {
        return List.copyOf(deliveries);
    }

    public synchronized int acknowledgedItems() {
        return acknowledgedItems;
    }

    public synchronized boolean idle() {
        return queue.isEmpty() && inFlight == null && duplicates.isEmpty();
    }

    /** Waits until everything queued was acknowledged. */
    public synchronized void awaitIdle(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!idle()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("pusher not idle after " + timeout + ": queued " + queue.size()
                        + ", in flight " + (inFlight == null ? "none" : inFlight.id) + ", last deliveries "
                        + deliveries.subList(Math.max(0, deliveries.size() - 5), deliveries.size()));
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
    }

    /** Waits until at least {@code n} HTTP attempts were made. */
    public synchronized void awaitDeliveries(int n, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (deliveries.size() < n) {
            long left = deadline - System.nanoTime();
            if (left <= 0) throw new AssertionError("only " + deliveries.size() + " deliveries: " + deliveries);
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        web.close();
    }

    private void enqueue(Item item) {
        synchronized (this) {
            queue.add(item);
        }
        context.runOnContext(v -> pump());
    }

    /** On the context: start the next transaction if none is in flight. */
    private void pump() {
        Txn next;
        boolean duplicate = false;
        synchronized (this) {
            if (closed || inFlight != null) return;
            if (!duplicates.isEmpty()) {
                next = duplicates.poll();
                duplicate = true;
                inFlight = next;
            } else {
                if (paused || queue.isEmpty()) {
                    notifyAll();
                    return;
                }
                List<Item> items = new ArrayList<>();
                while (!queue.isEmpty() && items.size() < options.maxBatch()) items.add(queue.poll());
                next = new Txn(Long.toString(nextTxnId++), items);
                inFlight = next;
            }
        }
        send(next, 1, duplicate);
    }

    private void send(Txn txn, int attempt, boolean duplicate) {
        Options o = options;
        String path = (o.path() == PathStyle.V1 ? "/_matrix/app/v1/transactions/" : "/transactions/") + txn.id;
        HttpRequest<Buffer> request = web.putAbs(url.get() + path).timeout(o.requestTimeout().toMillis());
        if (o.auth() != AuthStyle.QUERY) request.putHeader("Authorization", "Bearer " + hsToken.get());
        if (o.auth() != AuthStyle.HEADER) request.addQueryParam("access_token", hsToken.get());
        JsonObject body = body(txn, o.toDeviceKey());
        long sent = System.nanoTime();
        request.sendJsonObject(body).onComplete(ar -> {
            long answered = System.nanoTime();
            int status = ar.succeeded() ? ar.result().statusCode() : 0;
            String timing = ar.succeeded() ? ar.result().getHeader("Server-Timing") : null;
            List<String> ids = txn.items.stream().filter(i -> i.section.equals(EVENTS))
                    .map(i -> i.json.getString("event_id")).toList();
            List<JsonObject> toDevice = txn.items.stream().filter(i -> i.section.equals(TO_DEVICE))
                    .map(i -> i.json.copy()).toList();
            synchronized (this) {
                deliveries.add(new Delivery(txn.id, ids, toDevice, Set.copyOf(body.fieldNames()), attempt, status,
                        duplicate, sent, answered, timing));
                notifyAll();
                if (closed) return;
                if (status == 200 || duplicate) {
                    // A duplicate is sent once whatever the answer: it tests the appservice, not the queue.
                    inFlight = null;
                    if (!duplicate) {
                        lastAcknowledged = txn;
                        acknowledged.add(txn);
                        acknowledgedItems += txn.items.size();
                    }
                }
            }
            if (status == 200 || duplicate) {
                pump();
                return;
            }
            long wait = Math.min(o.maxBackoff().toMillis(),
                    o.initialBackoff().toMillis() << Math.min(attempt - 1, 20));
            vertx.setTimer(Math.max(1, wait), t -> send(txn, attempt + 1, false));
        });
    }

    /** Synapse serialises the events afresh for every try: {@code unsigned.age} differs between retries. */
    private static JsonObject body(Txn txn, ToDeviceKey keys) {
        JsonObject body = new JsonObject().put(EVENTS, new JsonArray());
        long now = System.currentTimeMillis();
        for (Item item : txn.items) {
            JsonObject json = item.json.copy();
            if (item.section.equals(EVENTS)) {
                json.put("unsigned", new JsonObject().put("age", now - json.getLong("origin_server_ts", now)));
            }
            for (String key : keys(item.section, keys)) {
                if (!body.containsKey(key)) body.put(key, new JsonArray());
                body.getJsonArray(key).add(json.copy());
            }
        }
        return body;
    }

    private static List<String> keys(String section, ToDeviceKey keys) {
        if (section.equals(EVENTS)) return List.of(EVENTS);
        return switch (keys) {
            case UNSTABLE -> List.of(UNSTABLE_PREFIX + section);
            case STABLE -> List.of(section);
            case BOTH -> List.of(section, UNSTABLE_PREFIX + section);
        };
    }
}
