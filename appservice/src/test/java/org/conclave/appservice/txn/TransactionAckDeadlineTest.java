package org.conclave.appservice.txn;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.conclave.appservice.journal.TransactionJournal;
import org.conclave.appservice.txn.TransactionTiming.Phase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A transaction with a unit still running is acknowledged {@code transaction_ack_wait_ms} after its request ARRIVED,
 * not that long after its units were recorded as started: a slow body or a slow journal (an fsync on a busy disk) must
 * not add to the wait. The clock is injected; the journal is made slow by moving it on while the units are recorded.
 * The wait is 30 s: a rule that counted it from the hand-over would not acknowledge within the tests' 10 s.
 */
class TransactionAckDeadlineTest {
    private static final long ACK_WAIT_MS = 30_000;
    private static final long AWAIT_S = 10;
    private static final long MS = 1_000_000;

    @TempDir
    Path dir;

    private final Vertx vertx = Vertx.vertx();
    private final RecordingHandler handler = new RecordingHandler();
    /** Added to the real clock: what the slow parts of a delivery took on the pipeline's clock. */
    private final AtomicLong skew = new AtomicLong();
    /** Added to {@link #skew} when a slice's units are recorded as started (a slow fsync). */
    private final AtomicLong journalTakes = new AtomicLong();
    private final AtomicLong acknowledgedAfter = new AtomicLong(-1);
    private final Promise<Void> slow = Promise.promise();
    private TransactionJournal journal;
    private TransactionProcessor processor;

    @BeforeEach
    void open() throws Exception {
        journal = TransactionJournal.open(dir.resolve("appservice.journal"), 1000);
        TransactionObserver observer = new TransactionObserver() {
            @Override
            public void beforeAcknowledge(Transaction txn) {}

            @Override
            public void onSlice(Transaction txn, int units) {
                skew.addAndGet(journalTakes.get());
            }

            @Override
            public void onFinished(Transaction txn, long nanos, Throwable failure) {
                if (failure == null) acknowledgedAfter.set(nanos);
            }
        };
        processor = new TransactionProcessor(vertx, journal, handler, observer, 120_000, ACK_WAIT_MS, 10_000,
                () -> System.nanoTime() + skew.get());
        handler.answer("$slow", slow::future); // runs until the test lets it finish
    }

    @AfterEach
    void close() throws Exception {
        journal.close();
        vertx.close().await(10, TimeUnit.SECONDS);
    }

    private static Transaction txn(String txnId) throws TransactionException {
        return TransactionProcessorTest.txn(txnId, TransactionProcessorTest.event("$slow", "!crowded"),
                TransactionProcessorTest.event("$quick", "!quiet"));
    }

    @Test
    void aSlowRecordOfTheUnitsCountsAgainstTheWait() throws Exception {
        journalTakes.set((ACK_WAIT_MS - 300) * MS);

        processor.submit(txn("1")).await(AWAIT_S, TimeUnit.SECONDS);

        assertThat(acknowledgedAfter.get() / MS).as("ms from the arrival to the acknowledgement, on the clock")
                .isBetween(ACK_WAIT_MS, ACK_WAIT_MS + AWAIT_S * 1000);
        assertThat(handler.ids()).containsExactly("$slow", "$quick");

        // $slow finishes after the acknowledgement; a repeat of the transaction hands nothing over again.
        vertx.runOnContext(v -> slow.complete());
        processor.submit(txn("1")).await(AWAIT_S, TimeUnit.SECONDS);
        assertThat(processor.inProgress().await(AWAIT_S, TimeUnit.SECONDS)).isZero();
        assertThat(handler.ids()).containsExactly("$slow", "$quick");
    }

    @Test
    void aTransactionThatArrivedLongerAgoThanTheWaitIsAcknowledgedOnceHandedOver() throws Exception {
        TransactionTiming timing = new TransactionTiming(processor.now() - 2 * ACK_WAIT_MS * MS); // a slow body
        timing.mark(Phase.READ, processor.now());
        timing.mark(Phase.PARSE, processor.now());

        processor.submit(txn("1"), timing).await(AWAIT_S, TimeUnit.SECONDS);

        assertThat(handler.ids()).as("handed over (recorded as started) before the acknowledgement")
                .containsExactly("$slow", "$quick");
        assertThat(timing.nanos(Phase.WAIT) / MS).as("waited ms").isLessThan(AWAIT_S * 1000);
        assertThat(timing.nanos(Phase.READ) / MS).isGreaterThanOrEqualTo(2 * ACK_WAIT_MS);
        processor.answered(txn("1"), timing);
        long sum = 0;
        for (Phase phase : Phase.values()) sum += timing.nanos(phase);
        assertThat(sum).as("the phases add up to the whole").isEqualTo(timing.total());
        assertThat(timing.serverTiming()).startsWith("read;dur=")
                .contains(", queue;dur=", ", hand_over;dur=", ", wait;dur=", ", record;dur=", ", respond;dur=");
    }

    @Test
    void unitsThatFinishWithinTheWaitAreDoneBeforeTheAcknowledgement() throws Exception {
        List<String> doneAtAck = new CopyOnWriteArrayList<>();
        vertx.setTimer(100, t -> slow.complete()); // well within the wait
        Future<Void> acknowledged = processor.submit(txn("1"))
                .onSuccess(v -> doneAtAck.add(slow.future().isComplete() ? "$slow" : "running"));

        acknowledged.await(AWAIT_S, TimeUnit.SECONDS);

        assertThat(doneAtAck).containsExactly("$slow");
        assertThat(acknowledgedAfter.get() / MS).isLessThan(ACK_WAIT_MS);
    }
}
