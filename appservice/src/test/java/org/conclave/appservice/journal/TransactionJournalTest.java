package org.conclave.appservice.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TransactionJournalTest {
    private static final int WINDOW = 1000;

    @TempDir
    Path dir;

    private final Vertx vertx = Vertx.vertx();
    private final Context context = vertx.getOrCreateContext();
    private final List<TransactionJournal> opened = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        opened.forEach(TransactionJournal::close);
        vertx.close().await(10, TimeUnit.SECONDS);
    }

    private TransactionJournal open(int window) throws JournalException {
        TransactionJournal journal = TransactionJournal.open(dir.resolve("j/appservice.journal"), window);
        opened.add(journal);
        return journal;
    }

    private static <T> T await(Future<T> future) throws Exception {
        return future.await(10, TimeUnit.SECONDS);
    }

    @Test
    void statusesSurviveARestart() throws Exception {
        TransactionJournal journal = open(WINDOW);
        assertThat(await(journal.begin(context, "f1", List.of("a", "b"))))
                .isEqualTo(new TransactionJournal.Begin(false, Map.of("a", UnitStatus.NEW, "b", UnitStatus.NEW)));
        await(journal.done(context, "a", "ok"));
        journal.close();

        TransactionJournal again = open(WINDOW);
        TransactionJournal.Begin begin = await(again.begin(context, "f2", List.of("a", "b", "c")));

        assertThat(begin.txnDone()).isFalse();
        assertThat(begin.statuses()).isEqualTo(
                Map.of("a", UnitStatus.DONE, "b", UnitStatus.STARTED, "c", UnitStatus.NEW));
        assertThat(begin.statuses().keySet()).containsExactly("a", "b", "c");
    }

    @Test
    void finishedTransactionIsFoundAndNothingMoreIsWritten() throws Exception {
        TransactionJournal journal = open(WINDOW);
        await(journal.begin(context, "f1", List.of("a")));
        await(journal.done(context, "a", "ok"));
        await(journal.finish(context, "f1", "1"));
        journal.close();
        long size = Files.size(journal.path());

        TransactionJournal again = open(WINDOW);
        TransactionJournal.Begin begin = await(again.begin(context, "f1", List.of("a", "z")));

        assertThat(begin).isEqualTo(new TransactionJournal.Begin(true, Map.of()));
        again.close();
        assertThat(Files.size(journal.path())).isEqualTo(size);
    }

    @Test
    void resultsArriveOnTheCallersContext() throws Exception {
        TransactionJournal journal = open(WINDOW);
        AtomicReference<Context> seen = new AtomicReference<>();

        Future<Void> done = Future.future(p -> context.runOnContext(v -> journal.done(context, "a", "ok")
                .onComplete(ar -> {
                    seen.set(Vertx.currentContext());
                    p.handle(ar);
                })));

        await(done);
        assertThat(seen.get()).isSameAs(context);
    }

    @Test
    void tornLastWriteIsCutOffAndTheRestKept() throws Exception {
        TransactionJournal journal = open(WINDOW);
        await(journal.begin(context, "f1", List.of("a")));
        await(journal.finish(context, "f1", "1"));
        journal.close();
        long intact = Files.size(journal.path());
        Files.writeString(journal.path(), "0badc0de {\"op\":\"do", StandardOpenOption.APPEND);

        TransactionJournal again = open(WINDOW);

        assertThat(Files.size(journal.path())).isEqualTo(intact);
        assertThat(await(again.begin(context, "f1", List.of())))
                .isEqualTo(new TransactionJournal.Begin(true, Map.of()));
        assertThat(await(again.begin(context, "f2", List.of("a"))).statuses()).containsEntry("a", UnitStatus.STARTED);
    }

    @Test
    void aSecondProcessIsKeptOff() throws Exception {
        open(WINDOW);

        assertThatThrownBy(() -> open(WINDOW))
                .isInstanceOf(JournalException.class)
                .hasMessageContaining("is in use by another Conclave process")
                .hasMessageContaining("appservice.journal_path");
    }

    @Test
    void oldestDoneUnitsAreForgottenBeyondTheWindow() throws Exception {
        TransactionJournal journal = open(3);
        for (String key : List.of("a", "b", "c", "d")) await(journal.done(context, key, "ok"));

        Map<String, UnitStatus> statuses = await(journal.begin(context, "f", List.of("a", "b", "d"))).statuses();

        assertThat(statuses).containsEntry("a", UnitStatus.NEW).containsEntry("b", UnitStatus.DONE)
                .containsEntry("d", UnitStatus.DONE);
    }

    @Test
    void fileIsCompactedToTheLiveRecordsAndReadsBackTheSame() throws Exception {
        TransactionJournal journal = open(3);
        int n = TransactionJournal.COMPACT_MIN_RECORDS + 20;
        List<Future<Void>> writes = new ArrayList<>();
        for (int i = 0; i < n; i++) writes.add(journal.done(context, "u" + i, "ok"));
        await(Future.all(writes));
        await(journal.begin(context, "f", List.of("started")));
        journal.close();

        long lines = Files.readAllLines(journal.path(), StandardCharsets.UTF_8).size();
        assertThat(lines).isLessThan(TransactionJournal.COMPACT_MIN_RECORDS);
        assertThat(Files.exists(journal.path().resolveSibling("appservice.journal.compact"))).isFalse();

        TransactionJournal again = open(3);
        Map<String, UnitStatus> statuses = await(again.begin(context, "g",
                List.of("u0", "u" + (n - 3), "u" + (n - 1), "started"))).statuses();
        assertThat(statuses).containsEntry("u0", UnitStatus.NEW).containsEntry("u" + (n - 3), UnitStatus.DONE)
                .containsEntry("u" + (n - 1), UnitStatus.DONE).containsEntry("started", UnitStatus.STARTED);
    }

    /**
     * A transaction of more units than the window: its done positions are kept until it is finished, across a
     * compaction and a restart, while the window forgets its units' keys.
     */
    @Test
    void doneUnitsOfAnUnfinishedTransactionOutliveTheWindowAndCompaction() throws Exception {
        TransactionJournal journal = open(10);
        List<String> keys = IntStream.range(0, 50).mapToObj(i -> "k" + i).toList();
        int[] positions = IntStream.range(0, 50).toArray();
        await(journal.begin(context, "f1", keys, positions));
        List<Future<Void>> writes = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            if (i != 7) writes.add(journal.done(context, keys.get(i), "ok", "f1", i));
        }
        for (int i = 0; i < TransactionJournal.COMPACT_MIN_RECORDS + 20; i++) {
            writes.add(journal.done(context, "other" + i, "ok")); // pushes f1's keys out of the window
        }
        await(Future.all(writes));
        journal.close();
        assertThat(Files.readAllLines(journal.path(), StandardCharsets.UTF_8)).as("compacted")
                .hasSizeLessThan(200).contains(new String(JournalRecord.range("f1", 0, 7).encode(),
                        StandardCharsets.UTF_8).strip());

        TransactionJournal again = open(10);
        Map<String, UnitStatus> statuses = await(again.begin(context, "f1", keys, positions)).statuses();
        Map<String, UnitStatus> expected = new LinkedHashMap<>();
        keys.forEach(k -> expected.put(k, UnitStatus.DONE));
        expected.put("k7", UnitStatus.STARTED);
        assertThat(statuses).isEqualTo(expected);
        assertThat(await(again.begin(context, "f2", keys, positions)).statuses())
                .as("another transaction with the same units: only the window counts")
                .containsEntry("k0", UnitStatus.NEW);

        await(again.done(context, "k7", "ok", "f1", 7));
        await(again.finish(context, "f1", "1"));
        assertThat(await(again.begin(context, "f1", keys, positions)).txnDone()).isTrue();
    }

    @Test
    void closedJournalFailsRequests() throws Exception {
        TransactionJournal journal = open(WINDOW);
        journal.close();

        assertThatThrownBy(() -> await(journal.done(context, "a", "ok"))).hasMessageContaining("is closed");
    }
}
