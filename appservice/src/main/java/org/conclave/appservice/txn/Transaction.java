package org.conclave.appservice.txn;

import java.util.List;

/**
 * A parsed homeserver transaction.
 *
 * @param txnId the homeserver's id (reused by retries, but also restarted at 1 by Synapse after its restart)
 * @param fingerprint what identifies this transaction across retries: a hash of the id and the items (event ids for
 *     events, the JSON without {@code unsigned} for the rest, since {@code unsigned.age} changes between retries)
 * @param units the items in the homeserver's order: events, then EDUs, then to-device messages
 * @param skipped items that were not usable (not an object, required field missing) and were left out
 */
public record Transaction(String txnId, String fingerprint, List<Unit> units, int skipped) {
    public Transaction {
        units = List.copyOf(units);
    }
}
