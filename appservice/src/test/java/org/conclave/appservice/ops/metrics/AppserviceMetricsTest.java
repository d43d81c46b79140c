package org.conclave.appservice.ops.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.conclave.appservice.txn.Transaction;
import org.conclave.appservice.txn.TransactionLimit;
import org.conclave.appservice.txn.TransactionObserver;
import org.conclave.appservice.txn.TransactionTiming;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AppserviceMetricsTest {
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"0, no_answer", "200, ok", "201, ok", "400, client_error", "404, client_error", "429, rate_limited",
        "500, server_error", "502, server_error"})
    void homeserverAnswersByOutcome(int status, String outcome) {
        assertThat(AppserviceMetrics.outcome(status)).isEqualTo(outcome);
    }

    @Test
    void itemsLeftOutOfTransactionsAreCounted() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        TransactionObserver observer = new AppserviceMetrics(registry).transactions();
        observer.onFinished(new Transaction("1", "f1", List.of(), 0), 1_000, null);
        observer.onFinished(new Transaction("2", "f2", List.of(), 3), 1_000, null);
        assertThat(registry.find("conclave.appservice.items.skipped").tag("limit", "max_item_values").counter())
                .as("registered from zero").isNotNull();
        observer.onFinished(new Transaction("3", "f3", List.of(), 7, Map.of(TransactionLimit.MAX_EVENT_DEPTH, 2,
                TransactionLimit.MAX_NUMBER_CHARS, 1, TransactionLimit.MAX_ITEM_VALUES, 3)), 1_000, null);
        assertThat(registry.counter("conclave.appservice.items.skipped", "limit", "max_item_values").count())
                .isEqualTo(3);
        assertThat(registry.counter("conclave.appservice.items.skipped", "limit", "none").count()).isEqualTo(4);
        assertThat(registry.counter("conclave.appservice.items.skipped", "limit", "max_event_depth").count())
                .isEqualTo(2);
        assertThat(registry.counter("conclave.appservice.items.skipped", "limit", "max_number_chars").count())
                .isEqualTo(1);
    }

    @Test
    void everyPhaseOfAnAnsweredTransactionIsTimedFromZero() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        TransactionObserver observer = new AppserviceMetrics(registry).transactions();
        for (TransactionTiming.Phase phase : TransactionTiming.Phase.values()) {
            assertThat(registry.find("conclave.appservice.transaction.phase").tag("phase", phase.label()).timer())
                    .as(phase.label()).isNotNull();
        }
        TransactionTiming timing = new TransactionTiming(0);
        timing.mark(TransactionTiming.Phase.HAND_OVER, 5_000_000); // read, parse and queue: 0
        timing.mark(TransactionTiming.Phase.RESPOND, 1_005_000_000);

        observer.onAnswered(new Transaction("1", "f1", List.of(), 0), timing);

        assertThat(registry.timer("conclave.appservice.transaction.phase", "phase", "hand_over")
                .totalTime(TimeUnit.MILLISECONDS)).isEqualTo(5);
        assertThat(registry.timer("conclave.appservice.transaction.phase", "phase", "respond")
                .totalTime(TimeUnit.MILLISECONDS)).isEqualTo(1000);
        assertThat(registry.timer("conclave.appservice.transaction.phase", "phase", "read").count()).isEqualTo(1);
    }

    @Test
    void refusedTransactionsAreCountedByLimitFromZero() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        TransactionObserver observer = new AppserviceMetrics(registry).transactions();
        for (String limit : new String[] {"none", "max_transaction_kib", "max_transaction_depth",
            "max_transaction_values"}) {
            assertThat(registry.find("conclave.appservice.transactions.refused").tag("limit", limit).counter())
                    .as(limit).isNotNull();
        }

        observer.onRefused(TransactionLimit.MAX_TRANSACTION_KIB);
        observer.onRefused(TransactionLimit.MAX_TRANSACTION_DEPTH);
        observer.onRefused(TransactionLimit.MAX_TRANSACTION_DEPTH);
        observer.onRefused(TransactionLimit.MAX_TRANSACTION_VALUES);
        observer.onRefused(null);

        assertThat(registry.counter("conclave.appservice.transactions.refused", "limit", "max_transaction_kib")
                .count()).isEqualTo(1);
        assertThat(registry.counter("conclave.appservice.transactions.refused", "limit", "max_transaction_depth")
                .count()).isEqualTo(2);
        assertThat(registry.counter("conclave.appservice.transactions.refused", "limit", "max_transaction_values")
                .count()).isEqualTo(1);
        assertThat(registry.counter("conclave.appservice.transactions.refused", "limit", "none").count())
                .isEqualTo(1);
    }
}
