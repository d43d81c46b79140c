package org.conclave.appservice.ops.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.conclave.appservice.intent.RequestObserver;
import org.conclave.appservice.txn.Transaction;
import org.conclave.appservice.txn.TransactionObserver;
import org.conclave.appservice.txn.Unit;

/** The appservice's meters: homeserver transactions (count, latency, handler outcomes) and homeserver requests. */
public final class AppserviceMetrics {
    private static final Duration[] LATENCY_BUCKETS = {Duration.ofMillis(5), Duration.ofMillis(10),
        Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
        Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5),
        Duration.ofSeconds(10), Duration.ofSeconds(30)};

    private final MeterRegistry registry;

    public AppserviceMetrics(MeterRegistry registry) {
        this.registry = registry;
        // Registered up front so that dashboards see zeros, not gaps.
        for (String outcome : new String[] {"ok", "failed"}) transactionTimer(outcome);
        for (String outcome : new String[] {"ok", "failed", "timeout"}) unitCounter(outcome);
        for (String outcome : new String[] {"ok", "client_error", "rate_limited", "server_error", "no_answer"}) {
            requestTimer(outcome);
        }
        registry.counter("conclave.homeserver.request.failures");
        skippedItems();
    }

    /** Times every delivery from its arrival to its answer, and counts handler outcomes. */
    public TransactionObserver transactions() {
        return new TransactionObserver() {
            @Override
            public void beforeAcknowledge(Transaction txn) {}

            @Override
            public void onFinished(Transaction txn, long nanos, Throwable failure) {
                transactionTimer(failure == null ? "ok" : "failed").record(nanos, TimeUnit.NANOSECONDS);
                if (txn.skipped() > 0) skippedItems().increment(txn.skipped());
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

    private Counter skippedItems() {
        return Counter.builder("conclave.appservice.items.skipped")
                .description("Items of homeserver transactions left out as unusable (not an object, a field missing,"
                        + " nested too deep), per delivery").register(registry);
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
