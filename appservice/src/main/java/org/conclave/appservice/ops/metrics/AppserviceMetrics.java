package org.conclave.appservice.ops.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.conclave.appservice.intent.RequestObserver;
import org.conclave.appservice.txn.Transaction;
import org.conclave.appservice.txn.TransactionLimit;
import org.conclave.appservice.txn.TransactionObserver;
import org.conclave.appservice.txn.TransactionTiming;
import org.conclave.appservice.txn.TransactionTiming.Phase;
import org.conclave.appservice.txn.Unit;

/**
 * The appservice's meters: homeserver transactions (count, latency, handler outcomes, refusals and items left out by
 * limit) and homeserver requests.
 */
public final class AppserviceMetrics {
    private static final Duration[] LATENCY_BUCKETS = {Duration.ofMillis(5), Duration.ofMillis(10),
        Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
        Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5),
        Duration.ofSeconds(10), Duration.ofSeconds(30)};
    /** Finer at the bottom: reading and parsing a body take well under 5 ms. */
    private static final Duration[] PHASE_BUCKETS = Stream.concat(Stream.of(Duration.ofMillis(1),
            Duration.ofMillis(2)), Arrays.stream(LATENCY_BUCKETS)).toArray(Duration[]::new);

    /** The limits that leave an item out, and those that refuse a whole body. */
    private static final List<TransactionLimit> ITEM_LIMITS =
            List.of(TransactionLimit.MAX_EVENT_DEPTH, TransactionLimit.MAX_NUMBER_CHARS,
                    TransactionLimit.MAX_ITEM_VALUES);
    private static final List<TransactionLimit> BODY_LIMITS =
            List.of(TransactionLimit.MAX_TRANSACTION_KIB, TransactionLimit.MAX_TRANSACTION_DEPTH,
                    TransactionLimit.MAX_TRANSACTION_VALUES);

    private final MeterRegistry registry;

    public AppserviceMetrics(MeterRegistry registry) {
        this.registry = registry;
        // Registered up front so that dashboards see zeros, not gaps.
        for (String outcome : new String[] {"ok", "failed"}) transactionTimer(outcome);
        for (Phase phase : Phase.values()) phaseTimer(phase);
        for (String outcome : new String[] {"ok", "failed", "timeout"}) unitCounter(outcome);
        for (String outcome : new String[] {"ok", "client_error", "rate_limited", "server_error", "no_answer"}) {
            requestTimer(outcome);
        }
        registry.counter("conclave.homeserver.request.failures");
        for (TransactionLimit limit : ITEM_LIMITS) skippedItems(limit);
        skippedItems(null);
        for (TransactionLimit limit : BODY_LIMITS) refusedTransactions(limit);
        refusedTransactions(null);
    }

    /** Times every delivery from its arrival to its answer, and counts handler outcomes. */
    public TransactionObserver transactions() {
        return new TransactionObserver() {
            @Override
            public void beforeAcknowledge(Transaction txn) {}

            @Override
            public void onFinished(Transaction txn, long nanos, Throwable failure) {
                transactionTimer(failure == null ? "ok" : "failed").record(nanos, TimeUnit.NANOSECONDS);
                if (txn.skipped() == 0) return;
                for (TransactionLimit limit : ITEM_LIMITS) {
                    int n = txn.skipped(limit);
                    if (n > 0) skippedItems(limit).increment(n);
                }
                int unusable = txn.skipped(null);
                if (unusable > 0) skippedItems(null).increment(unusable);
            }

            @Override
            public void onAnswered(Transaction txn, TransactionTiming timing) {
                for (Phase phase : Phase.values()) phaseTimer(phase).record(timing.nanos(phase), TimeUnit.NANOSECONDS);
            }

            @Override
            public void onRefused(TransactionLimit limit) {
                refusedTransactions(limit).increment();
            }

            @Override
            public void onUnitHandled(Unit unit, String outcome) {
                unitCounter(outcome).increment();
            }
        };
    }

    /** Times every try of a client-server API request, by outcome, and counts requests that failed for good. */
    public RequestObserver homeserverRequests() {
        return new RequestObserver() {
            @Override
            public void onTry(int status, long nanos) {
                requestTimer(outcome(status)).record(nanos, TimeUnit.NANOSECONDS);
            }

            @Override
            public void onFailed(int status) {
                registry.counter("conclave.homeserver.request.failures").increment();
            }
        };
    }

    static String outcome(int status) {
        if (status == 0) return "no_answer";
        if (status == 429) return "rate_limited";
        if (status >= 500) return "server_error";
        if (status >= 400) return "client_error";
        return "ok";
    }

    private Timer transactionTimer(String outcome) {
        return Timer.builder("conclave.appservice.transactions").tag("outcome", outcome)
                .description("Homeserver transactions from arrival to answer (ok: acknowledged; failed: the"
                        + " homeserver retries)")
                .serviceLevelObjectives(LATENCY_BUCKETS).register(registry);
    }

    private Timer phaseTimer(Phase phase) {
        return Timer.builder("conclave.appservice.transaction.phase").tag("phase", phase.label())
                .description("Acknowledged homeserver transactions, per phase from the request's arrival to the 200"
                        + " written: read, parse, queue, hand_over (units recorded as started), wait (slow units, at"
                        + " most transaction_ack_wait_ms from the arrival), record (fsync), respond")
                .serviceLevelObjectives(PHASE_BUCKETS).register(registry);
    }

    /** @param limit the appservice. limit an item broke, null: unusable otherwise (label none) */
    private Counter skippedItems(TransactionLimit limit) {
        return Counter.builder("conclave.appservice.items.skipped").tag("limit", label(limit))
                .description("Items of homeserver transactions left out, per delivery: beyond the limit named by its"
                        + " appservice. key, or unusable otherwise (limit none: not an object, a field missing)")
                .register(registry);
    }

    /** @param limit the appservice. limit a body broke, null: unusable otherwise (label none) */
    private Counter refusedTransactions(TransactionLimit limit) {
        return Counter.builder("conclave.appservice.transactions.refused").tag("limit", label(limit))
                .description("Homeserver transactions refused whole (400, 413): beyond the limit named by its"
                        + " appservice. key, or unusable otherwise (limit none: not JSON, wrong shape)")
                .register(registry);
    }

    private static String label(TransactionLimit limit) {
        return limit == null ? "none" : limit.key();
    }

    private Counter unitCounter(String outcome) {
        return Counter.builder("conclave.appservice.events").tag("outcome", outcome)
                .description("Events handed to the call handler, by outcome").register(registry);
    }

    private Timer requestTimer(String outcome) {
        return Timer.builder("conclave.homeserver.requests").tag("outcome", outcome)
                .description("Tries of client-server API requests to the homeserver, by outcome")
                .serviceLevelObjectives(LATENCY_BUCKETS).register(registry);
    }
}
