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
}
