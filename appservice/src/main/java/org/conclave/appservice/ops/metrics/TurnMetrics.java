package org.conclave.appservice.ops.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.ToDoubleFunction;
import org.conclave.appservice.config.TurnConfig;
import org.conclave.appservice.front.TurnRefusals;

/** The public listener's meters: TURN credentials requests refused by the limits of section {@code turn}. */
public final class TurnMetrics {
    private TurnMetrics() {}

    public static void bind(MeterRegistry registry, TurnRefusals refusals) {
        refused(registry, refusals, TurnConfig.MAX_REQUEST_BYTES, TurnRefusals::tooLarge);
        refused(registry, refusals, TurnConfig.MAX_CONCURRENT_REQUESTS, TurnRefusals::tooMany);
    }

    private static void refused(MeterRegistry registry, TurnRefusals refusals, String limit,
            ToDoubleFunction<TurnRefusals> f) {
        FunctionCounter.builder("conclave.turn.requests.refused", refusals, f).tag("limit", limit)
                .description("TURN credentials requests refused: larger than turn.max_request_bytes (413) or beyond"
                        + " turn.max_concurrent_requests at once (429), by the key").register(registry);
    }
}
