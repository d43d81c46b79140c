package org.conclave.appservice.txn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.conclave.appservice.journal.JournalReader;
import org.conclave.appservice.journal.JournalRecord;
import org.conclave.appservice.journal.TransactionJournal;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TransactionProcessorTest {
    private static final long EVENT_TIMEOUT_MS = 300;
    /** Longer than any test: these tests see a transaction acknowledged only once all its units are done. */
    private static final long NO_ACK_WAIT_MS = 60_000;

    @TempDir
    Path dir;

    private final Vertx vertx = Vertx.vertx();
    private final RecordingHandler handler = new RecordingHandler();
    private final AtomicInteger acknowledged = new AtomicInteger();
    private final List<TransactionJournal> journals = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        journals.forEach(TransactionJournal::close);
        vertx.close().await(10, TimeUnit.SECONDS);
    }

    private TransactionProcessor processor() throws Exception {
        return processor(EVENT_TIMEOUT_MS, NO_ACK_WAIT_MS);
    }

    private TransactionProcessor processor(long eventTimeoutMs, long ackWaitMs) throws Exception {
        TransactionJournal journal = TransactionJournal.open(dir.resolve("appservice.journal"), 1000);
        journals.add(journal);
        return new TransactionProcessor(vertx, journal, handler, txn -> acknowledged.incrementAndGet(),
                eventTimeoutMs, ackWaitMs);
    }

    static JsonObject event(String id, String room) {
        return new JsonObject().put("event_id", id).put("room_id", room).put("type", "m.room.message")
                .put("sender", "@u:hs").put("content", new JsonObject().put("body", id));
    }

    static Transaction txn(String txnId, JsonObject... events) throws TransactionException {
        return TransactionParser.parse(txnId, new JsonObject().put("events", new JsonArray(List.of(events)))
                .toBuffer());
    }

    private static <T> T await(Future<T> future) throws Exception {
        return future.await(10, TimeUnit.SECONDS);
    }

    @Test
    void everyEventIsHandedOverOnceThenTheTransactionIsAcknowledged() throws Exception {
        TransactionProcessor processor = processor();

        await(processor.submit(txn("1", event("$a", "!r1"), event("$b", "!r2"), event("$c", "!r1"))));

        assertThat(handler.calls()).extracting(RecordingHandler.Call::id).containsExactlyInAnyOrder("$a", "$b", "$c");
        assertThat(handler.calls()).noneMatch(RecordingHandler.Call::redelivered);
        assertThat(acknowledged).hasValue(1);
        assertThat(await(processor.inProgress())).isZero();
    }

    @Test
    void aRetriedTransactionIsAcknowledgedWithoutHandingAnythingOver() throws Exception {
        TransactionProcessor processor = processor();
        Transaction txn = txn("1", event("$a", "!r"), event("$b", "!r"));
        await(processor.submit(txn));

        await(processor.submit(txn));
        await(processor.submit(txn("1", event("$a", "!r").put("unsigned", new JsonObject().put("age", 99)),
                event("$b", "!r"))));

        assertThat(handler.ids()).containsExactly("$a", "$b");
        assertThat(acknowledged).hasValue(1);
    }

    @Test
    void eventsAlreadyProcessedAreSkippedInAnyLaterTransaction() throws Exception {
        TransactionProcessor processor = processor();
        await(processor.submit(txn("5", event("$a", "!r"), event("$b", "!r"))));

        // Synapse after its restart: txnIds start at 1 again; an old event may come again next to a new one.
        await(processor.submit(txn("1", event("$b", "!r"), event("$c", "!r"))));
        // Same txnId, different events: a different transaction.
        await(processor.submit(txn("1", event("$d", "!r"))));

        assertThat(handler.ids()).containsExactly("$a", "$b", "$c", "$d");
        assertThat(acknowledged).hasValue(3);
    }

    @Test
    void aDuplicateDeliveredWhileTheFirstIsInProgressWaitsForIt() throws Exception {
        TransactionProcessor processor = processor();
        Promise<Void> slow = Promise.promise();
        handler.answer("$a", slow::future);
        Transaction txn = txn("1", event("$a", "!r"));

        Future<Void> first = processor.submit(txn);
        Future<Void> second = processor.submit(txn);
        // A retry whose txnId differs (a restarted homeserver) but holding the same event also waits.
        Future<Void> third = processor.submit(txn("9", event("$a", "!r")));
        awaitCalls(1);

        assertThat(first.isComplete() || second.isComplete() || third.isComplete()).isFalse();
        vertx.runOnContext(v -> slow.complete());
        await(Future.all(first, second, third));
        assertThat(handler.ids()).containsExactly("$a");
    }

    @Test
    void eventsOfOneRoomWaitForEachOtherButNotForOtherRooms() throws Exception {
        TransactionProcessor processor = processor();
        Promise<Void> slow = Promise.promise();
        handler.answer("$r1-first", slow::future);

        Future<Void> done = processor.submit(txn("1", event("$r1-first", "!r1"), event("$r1-second", "!r1"),
                event("$r2-only", "!r2")));
        awaitCalls(2);

        assertThat(handler.ids()).containsExactly("$r1-first", "$r2-only");
        vertx.runOnContext(v -> slow.complete());
        await(done);
        assertThat(handler.ids()).containsExactly("$r1-first", "$r2-only", "$r1-second");
    }

    @Test
    void aSlowRoomDoesNotHoldBackTheNextTransactionButKeepsItsOwnOrder() throws Exception {
        TransactionProcessor processor = processor(60_000, 50); // $slow never times out here
        Promise<Void> slow = Promise.promise();
        handler.answer("$slow", slow::future);

        await(processor.submit(txn("1", event("$slow", "!crowded"), event("$quick", "!quiet"))));
        assertThat(acknowledged).as("acknowledged with $slow still running").hasValue(1);
        await(processor.submit(txn("2", event("$next", "!crowded"), event("$other", "!quiet"))));

        assertThat(acknowledged).hasValue(2);
        assertThat(handler.ids()).containsExactly("$slow", "$quick", "$other");
        vertx.runOnContext(v -> slow.complete());
        awaitCalls(4);
        assertThat(handler.ids()).containsExactly("$slow", "$quick", "$other", "$next");
        assertThat(await(processor.inProgress())).isZero();
    }

    @Test
    void orderHoldsAcrossTransactionsOfTheSameRoom() throws Exception {
        TransactionProcessor processor = processor();
        Promise<Void> slow = Promise.promise();
        handler.answer("$1", slow::future);

        Future<Void> first = processor.submit(txn("1", event("$1", "!r")));
        Future<Void> second = processor.submit(txn("2", event("$2", "!r")));
        awaitCalls(1);
        vertx.runOnContext(v -> slow.complete());
        await(Future.all(first, second));

        assertThat(handler.ids()).containsExactly("$1", "$2");
    }

    @Test
    void stateEventsAreOfferedBeforeAnyUnitOfTheirTransactionIsQueuedAndOnlyOnce() throws Exception {
        TransactionProcessor processor = processor();
        Promise<Void> slow = Promise.promise();
        handler.answer("$held", slow::future);
        Future<Void> first = processor.submit(txn("1", event("$held", "!dm")));
        awaitCalls(1);

        // The DM's queue is busy; the conference room's new power levels are known before its own queue gets there.
        JsonObject levels = state("$levels", "!conf", "m.room.power_levels");
        Future<Void> second = processor.submit(txn("2", event("$call", "!dm"), levels));
        awaitCalls(3);
        assertThat(handler.ids()).containsExactly("$held", "state:$levels", "$levels");
        vertx.runOnContext(v -> slow.complete());
        await(Future.all(first, second));
        assertThat(handler.ids()).containsExactly("$held", "state:$levels", "$levels", "$call");

        // Handled already: not offered again, whatever transaction carries it.
        await(processor.submit(txn("3", levels, event("$next", "!conf"))));
        assertThat(handler.ids()).containsExactly("$held", "state:$levels", "$levels", "$call", "$next");
    }

    static JsonObject state(String id, String room, String type) {
        return event(id, room).put("type", type).put("state_key", "");
    }

    @Test
    void aFailingOrSlowHandlerDoesNotHoldTheQueueAndIsNotRetried() throws Exception {
        TransactionProcessor processor = processor();
        handler.answer("$fails", () -> Future.failedFuture(new IllegalStateException("boom")));
        handler.answer("$throws", () -> {
            throw new IllegalStateException("thrown");
        });
        handler.answer("$null", () -> null);
        handler.answer("$hangs", () -> Promise.<Void>promise().future());
        Transaction txn = txn("1", event("$fails", "!r"), event("$throws", "!r"), event("$null", "!r"),
                event("$hangs", "!r"), event("$after", "!r"));

        await(processor.submit(txn));
        await(processor.submit(txn("2", event("$fails", "!r"), event("$hangs", "!r"))));

        assertThat(handler.ids()).containsExactly("$fails", "$throws", "$null", "$hangs", "$after");
        journals.get(0).close();
        List<String> outcomes = JournalReader.read(journals.get(0).path()).records().stream()
                .filter(r -> r.op() == JournalRecord.Op.DONE).map(r -> r.key() + "=" + r.note()).toList();
        assertThat(outcomes).containsExactly("e:$fails=failed", "e:$throws=failed", "e:$null=failed",
                "e:$hangs=timeout", "e:$after=ok");
    }

    @Test
    void anEventStartedByAnEarlierRunIsHandedOverMarkedRedelivered() throws Exception {
        Path file = dir.resolve("appservice.journal");
        Files.write(file, JournalRecord.start("e:$a").encode());

        await(processor().submit(txn("1", event("$a", "!r"), event("$b", "!r"))));

        assertThat(handler.calls()).containsExactly(new RecordingHandler.Call("$a", "!r", true),
                new RecordingHandler.Call("$b", "!r", false));
    }

    @Test
    void aJournalThatCannotWriteFailsTheTransactionAndNothingIsHandedOver() throws Exception {
        TransactionProcessor processor = processor();
        journals.get(0).close();

        assertThatThrownBy(() -> await(processor.submit(txn("1", event("$a", "!r"))))).hasMessageContaining("closed");
        assertThat(handler.calls()).isEmpty();
        assertThat(acknowledged).hasValue(0);
    }

    @Test
    void edusAndToDeviceMessagesAreHandedOverOncePerTransaction() throws Exception {
        TransactionProcessor processor = processor();
        JsonObject body = new JsonObject().put("events", new JsonArray())
                .put("de.sorunome.msc2409.ephemeral", new JsonArray().add(new JsonObject().put("type", "m.typing")
                        .put("room_id", "!r")))
                .put("de.sorunome.msc2409.to_device", new JsonArray().add(new JsonObject().put("type", "m.x")
                        .put("to_user_id", "@conclave:hs").put("to_device_id", "D")));
        Transaction txn = TransactionParser.parse("1", body.toBuffer());

        await(processor.submit(txn));
        await(processor.submit(txn));

        assertThat(handler.calls()).containsExactly(new RecordingHandler.Call("edu:m.typing", "!r", false),
                new RecordingHandler.Call("to-device:m.x", null, false));
    }

    private void awaitCalls(int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (handler.calls().size() < n) {
            if (System.nanoTime() > deadline) throw new AssertionError("only " + handler.calls() + " handed over");
            Thread.onSpinWait();
        }
    }
}
