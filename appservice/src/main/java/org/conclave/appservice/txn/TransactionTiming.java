package org.conclave.appservice.txn;

import java.util.Locale;

/**
 * Where one delivery's time went, from its request's arrival to its answer, in {@link Phase}s (nanos of the
 * pipeline's clock, {@link TransactionProcessor#arrival}). Each phase is marked by the thread that owns the delivery
 * at that moment (the request's event loop, then the pipeline's context, then the request's again), one after the
 * other, so it needs no locking. A phase a delivery skips (a repeat acknowledged at once) lasts 0.
 */
public final class TransactionTiming {
    /** In order; each lasts from the end of the one before (the first: from the request's arrival). */
    public enum Phase {
        /** the body read (after the token was checked) */
        READ("read"),
        /** parsed into units */
        PARSE("parse"),
        /** waiting for the transaction before it to finish handing its units over */
        QUEUE("queue"),
        /** claiming the units and recording them as started (an fsync per slice), slice by slice */
        HAND_OVER("hand_over"),
        /** until every unit is done or {@code transaction_ack_wait_ms} after the arrival, whichever comes first */
        WAIT("wait"),
        /** the transaction's durable record (an fsync) */
        RECORD("record"),
        /** back to the request's event loop and the answer written */
        RESPOND("respond");

        private final String label;

        Phase(String label) {
            this.label = label;
        }

        /** The name in metrics and in the {@code Server-Timing} header. */
        public String label() {
            return label;
        }
    }

    private static final Phase[] PHASES = Phase.values();
    /** {@code ends[0]}: the arrival; {@code ends[i + 1]}: when phase i ended. */
    private final long[] ends = new long[PHASES.length + 1];
    private int reached;

    /** @param arrivedNanos when the request arrived, on the pipeline's clock */
    public TransactionTiming(long arrivedNanos) {
        ends[0] = arrivedNanos;
    }

    public long arrived() {
        return ends[0];
    }

    /** Phase {@code phase} ended at {@code nanos}; phases before it not marked end there too. A repeat is ignored. */
    public void mark(Phase phase, long nanos) {
        int k = phase.ordinal() + 1;
        if (k <= reached) return;
        for (int i = reached + 1; i < k; i++) ends[i] = ends[reached];
        ends[k] = nanos;
        reached = k;
    }

    /** How long {@code phase} lasted; 0 if not reached. */
    public long nanos(Phase phase) {
        int k = phase.ordinal() + 1;
        return k > reached ? 0 : ends[k] - ends[k - 1];
    }

    /** From the arrival to the end of the last phase marked. */
    public long total() {
        return ends[reached] - ends[0];
    }

    /**
     * The phases marked so far as an HTTP {@code Server-Timing} header value (W3C Server Timing), milliseconds:
     * {@code read;dur=0.4, parse;dur=1.2, ...}.
     */
    public String serverTiming() {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < reached; i++) {
            if (i > 0) out.append(", ");
            out.append(PHASES[i].label).append(";dur=")
                    .append(String.format(Locale.ROOT, "%.1f", (ends[i + 1] - ends[i]) / 1e6));
        }
        return out.toString();
    }
}
