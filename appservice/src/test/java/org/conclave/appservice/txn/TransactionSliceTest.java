package org.conclave.appservice.txn;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.IntFunction;
import java.util.stream.IntStream;
import org.conclave.appservice.journal.TransactionJournal;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A transaction of more units than the window of units in flight is handed over in slices: a slow room does not hold
 * back the next slices (only its own units wait), rooms keep their order across slices and transactions, and a
 * transaction of more units than the journal's dedupe window, cut by a crash, hands none of its done units over again.
 */
class TransactionSliceTest {
    private static final long LONG_MS = 60_000;

    @TempDir
    Path dir;

    private final Vertx vertx = Vertx.vertx();
    private final RecordingHandler handler = new RecordingHandler();
    private final List<TransactionJournal> journals = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        journals.forEach(TransactionJournal::close);
        vertx.close().await(10, TimeUnit.SECONDS);
    }

    private TransactionJournal journal(int window) throws Exception {
        TransactionJournal journal = TransactionJournal.open(dir.resolve("appservice.journal"), window);
        journals.add(journal);
        return journal;
    }

    /** Events {@code $<prefix><i>}, i from 0, in room {@code room(i)}. */
    private static Transaction txn(String txnId, String prefix, int events, IntFunction<String> room)
            throws TransactionException {
        JsonArray list = new JsonArray();
        for (int i = 0; i < events; i++) list.add(TransactionProcessorTest.event("$" + prefix + i, room.apply(i)));
        return TransactionParser.parse(txnId, new JsonObject().put("events", list).toBuffer());
    }

    /** Per room, the ids handed over, in order. */
    private static Map<String, List<String>> byRoom(List<RecordingHandler.Call> calls) {
        Map<String, List<String>> rooms = new LinkedHashMap<>();
        for (RecordingHandler.Call c : calls) rooms.computeIfAbsent(c.room(), r -> new ArrayList<>()).add(c.id());
        return rooms;
    }

    private static Map<String, List<String>> expected(Transaction... txns) {
        Map<String, List<String>> rooms = new LinkedHashMap<>();
        for (Transaction t : txns) {
            for (Unit u : t.units()) rooms.computeIfAbsent(u.queue(), r -> new ArrayList<>()).add(u.key().substring(2));
        }
        return rooms;
    }

    private static void awaitTrue(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as(what).isLessThan(deadline);
            Thread.sleep(5); // a poll with a deadline: the handler runs on another thread
        }
    }

    @Test
    void aSlowRoomHoldsBackOnlyItsOwnUnits() throws Exception {
        // 1,000 events, slices of 10: every 100th in !slow (10, what the window holds besides a slice), whose first
        // does not finish until released; the others in ten rooms.
        Transaction txn = txn("1", "", 1_000, i -> i % 100 == 0 ? "!slow" : "!r" + i % 10);
        Promise<Void> release = Promise.promise();
        handler.answer("$0", release::future);
        TransactionProcessor processor = new TransactionProcessor(vertx, journal(1_000), handler,
                TransactionObserver.NONE, LONG_MS, LONG_MS, 20);

        Future<Void> acknowledged = processor.submit(txn);

        awaitTrue("every other room's 990 events handled while !slow waits", () -> handler.calls().size() == 991);
        assertThat(byRoom(handler.calls()).get("!slow")).containsExactly("$0");
        release.complete();
        acknowledged.await(20, TimeUnit.SECONDS);
        assertThat(byRoom(handler.calls())).isEqualTo(expected(txn));
    }

    @Test
    void roomsKeepTheirOrderAcrossSlicesAndTransactions() throws Exception {
        Transaction first = txn("1", "a", 300, i -> i % 2 == 0 ? "!a" : "!b");
        Transaction second = txn("2", "b", 50, i -> i % 2 == 0 ? "!a" : "!b");
        for (Transaction t : List.of(first, second)) {
            for (Unit u : t.units()) handler.answer(u.key().substring(2), this::aTurnLater);
        }
        TransactionProcessor processor = new TransactionProcessor(vertx, journal(1_000), handler,
                TransactionObserver.NONE, LONG_MS, LONG_MS, 20);

        Future<Void> one = processor.submit(first);
        Future<Void> two = processor.submit(second); // before the first is acknowledged
        Future.all(one, two).await(20, TimeUnit.SECONDS);

        assertThat(byRoom(handler.calls())).isEqualTo(expected(first, second));
    }

    @Test
    void aTransactionLargerThanTheDedupeWindowCutByACrashHandsNoDoneUnitOverAgain() throws Exception {
        // 1,000 events in ten rooms, a window of 100: each room's first event from $600 on never finishes (the
        // handler was in it when the process died), after 600 events were done.
        Transaction txn = txn("1", "", 1_000, i -> "!r" + i % 10);
        Vertx before = Vertx.vertx();
        RecordingHandler first = new RecordingHandler();
        IntStream.range(600, 1_000).forEach(i -> first.answer("$" + i, () -> Promise.<Void>promise().future()));
        AtomicInteger done = new AtomicInteger();
        TransactionObserver doneCounter = new TransactionObserver() {
            @Override
            public void beforeAcknowledge(Transaction t) {}

            @Override
            public void onUnitHandled(Unit unit, String outcome) {
                done.incrementAndGet(); // its done record is queued to the journal right after this
            }
        };
        TransactionJournal journal = TransactionJournal.open(dir.resolve("appservice.journal"), 100);
        new TransactionProcessor(before, journal, first, doneCounter, LONG_MS, LONG_MS, 40).submit(txn);
        awaitTrue("600 events done, ten in the handler", () -> done.get() == 600 && first.calls().size() == 610);
        journal.close(); // writes what was queued: the done records reached the file, then the process "died"
        before.close().await(10, TimeUnit.SECONDS);

        new TransactionProcessor(vertx, journal(100), handler, TransactionObserver.NONE, LONG_MS, LONG_MS, 40)
                .submit(txn).await(20, TimeUnit.SECONDS);

        List<String> notDone = IntStream.range(600, 1_000).mapToObj(i -> "$" + i).toList();
        assertThat(handler.ids()).as("handed over after the restart").containsExactlyInAnyOrderElementsOf(notDone);
        assertThat(handler.calls()).filteredOn(RecordingHandler.Call::redelivered).extracting(RecordingHandler.Call::id)
                .as("marked redelivered: those the handler had").containsAll(IntStream.range(600, 610)
                        .mapToObj(i -> "$" + i).toList());
        assertThat(byRoom(handler.calls()).get("!r3")).containsExactlyElementsOf(
                IntStream.range(600, 1_000).filter(i -> i % 10 == 3).mapToObj(i -> "$" + i).toList());
    }

    private Future<Void> aTurnLater() {
        Promise<Void> later = Promise.promise();
        vertx.runOnContext(v -> later.complete());
        return later.future();
    }
}
