package org.conclave.appservice.ops.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.ToDoubleFunction;
import org.conclave.appservice.call.LimitCounters;

/** The call handler's meters: invites refused by the caps of {@code calls.max_*}. */
public final class CallMetrics {
    private CallMetrics() {}

    public static void bind(MeterRegistry registry, LimitCounters limits) {
        limited(registry, limits, "user_rate", LimitCounters::userRate);
        limited(registry, limits, "user_calls", LimitCounters::userCalls);
        limited(registry, limits, "room_rate", LimitCounters::roomRate);
        FunctionCounter.builder("conclave.calls.limited.unanswered", limits, LimitCounters::unanswered)
                .description("Invites refused by a cap and dropped without an answer (the caller was told within"
                        + " calls.limit_notice_interval_ms)").register(registry);
    }

    private static void limited(MeterRegistry registry, LimitCounters limits, String reason,
            ToDoubleFunction<LimitCounters> f) {
        FunctionCounter.builder("conclave.calls.limited", limits, f).tag("reason", reason)
                .description("Invites refused by the caps of calls.max_*, by cap").register(registry);
    }
}
