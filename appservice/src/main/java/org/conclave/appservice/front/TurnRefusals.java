package org.conclave.appservice.front;

import java.util.concurrent.atomic.LongAdder;

/**
 * How often {@code POST /api/v1/turn} was refused by a limit of section {@code turn}, by limit. Written on the public
 * listener's event loops, read by the metrics from any thread.
 */
public final class TurnRefusals {
    private final LongAdder tooLarge = new LongAdder();
    private final LongAdder tooMany = new LongAdder();

    /** Bodies over {@code turn.max_request_bytes} (413). */
    public long tooLarge() {
        return tooLarge.sum();
    }

    /** Requests beyond {@code turn.max_concurrent_requests} at once (429). */
    public long tooMany() {
        return tooMany.sum();
    }

    void countTooLarge() {
        tooLarge.increment();
    }

    void countTooMany() {
        tooMany.increment();
    }
}
