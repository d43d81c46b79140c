package org.conclave.appservice.txn;

import java.util.List;
import java.util.Map;

/**
 * A parsed homeserver transaction.
 *
 * @param txnId the homeserver's id (reused by retries, but also restarted at 1 by Synapse after its restart)
 * @param fingerprint what identifies this transaction across retries: a hash of the id and the items (event ids for
 *     events, the JSON without {@code unsigned} for the rest, since {@code unsigned.age} changes between retries)
 * @param units the items in the homeserver's order: events, then EDUs, then to-device messages (made as they are
 *     asked for when the parser made the list: {@link UnitList})
 * @param skipped items that were not usable (not an object, required field missing, beyond a limit) and were left out
 * @param leftOut of those, the ones left out for a limit ({@code max_event_depth}, {@code max_number_chars}), by limit
 */
public record Transaction(String txnId, String fingerprint, List<Unit> units, int skipped,
        Map<TransactionLimit, Integer> leftOut) {
    public Transaction {
        units = units instanceof UnitList made ? made : List.copyOf(units);
        leftOut = Map.copyOf(leftOut);
    }

    /** None left out for a limit. */
    public Transaction(String txnId, String fingerprint, List<Unit> units, int skipped) {
        this(txnId, fingerprint, units, skipped, Map.of());
    }

    /** Items left out for {@code limit}; null: for being unusable otherwise. */
    public int skipped(TransactionLimit limit) {
        if (limit != null) return leftOut.getOrDefault(limit, 0);
        int n = skipped;
        for (int count : leftOut.values()) n -= count;
        return n;
    }
}
