package org.conclave.appservice.txn;

/** Hooks into the transaction pipeline (metrics, tests). Called on the pipeline's event loop: must not block. */
@FunctionalInterface
public interface TransactionObserver {
    TransactionObserver NONE = txn -> {};

    /**
     * The transaction was processed and is durably recorded so; the homeserver's 200 is about to be sent. Not
     * called when a transaction that was finished before is acknowledged again.
     */
    void beforeAcknowledge(Transaction txn);

    /**
     * Processing of a delivery ended after {@code nanos}: acknowledged ({@code failure} null) or failed (the
     * homeserver retries). Called for every delivery, repeats included.
     */
    default void onFinished(Transaction txn, long nanos, Throwable failure) {}

    /**
     * The homeserver's 200 for a delivery was written; {@code timing} holds all its phases. Not called for a delivery
     * that failed.
     */
    default void onAnswered(Transaction txn, TransactionTiming timing) {}

    /** The handler is done with one unit: {@code outcome} is "ok", "failed" or "timeout". */
    default void onUnitHandled(Unit unit, String outcome) {}

    /**
     * One slice of a transaction ({@code units} of them, each claimed and recorded as started) went to the room
     * queues, in one turn of the pipeline's event loop.
     */
    default void onSlice(Transaction txn, int units) {}

    /**
     * A delivery was refused before it reached the pipeline (400 or 413): {@code limit} is the one its body
     * exceeded, null when it was unusable otherwise (not JSON, wrong shape, bad transaction id).
     */
    default void onRefused(TransactionLimit limit) {}

    /** Both observers, {@code first} first. */
    static TransactionObserver both(TransactionObserver first, TransactionObserver second) {
        return new TransactionObserver() {
            @Override
            public void beforeAcknowledge(Transaction txn) {
                first.beforeAcknowledge(txn);
                second.beforeAcknowledge(txn);
            }

            @Override
            public void onFinished(Transaction txn, long nanos, Throwable failure) {
                first.onFinished(txn, nanos, failure);
                second.onFinished(txn, nanos, failure);
            }

            @Override
            public void onAnswered(Transaction txn, TransactionTiming timing) {
                first.onAnswered(txn, timing);
                second.onAnswered(txn, timing);
            }

            @Override
            public void onUnitHandled(Unit unit, String outcome) {
                first.onUnitHandled(unit, outcome);
                second.onUnitHandled(unit, outcome);
            }

            @Override
            public void onSlice(Transaction txn, int units) {
                first.onSlice(txn, units);
                second.onSlice(txn, units);
            }

            @Override
            public void onRefused(TransactionLimit limit) {
                first.onRefused(limit);
                second.onRefused(limit);
            }
        };
    }
}
