package org.conclave.appservice.txn;

import java.util.Locale;

/**
 * Which configured limit a transaction, or an item in it, exceeded; named after the {@code appservice.} key that
 * sets it (metrics label, error messages). The first three refuse the whole body, the last three leave one item out.
 */
public enum TransactionLimit {
    /** The body is larger: HTTP 413 (only once the homeserver's token was checked). */
    MAX_TRANSACTION_KIB,
    /** The body is nested deeper: HTTP 400. */
    MAX_TRANSACTION_DEPTH,
    /** The body holds more JSON values: HTTP 413, parsing stopped at the first one too many. */
    MAX_TRANSACTION_VALUES,
    /** An event, EDU or to-device message is nested deeper: left out, the rest processed. */
    MAX_EVENT_DEPTH,
    /** An item holds a longer number: left out, the rest processed. */
    MAX_NUMBER_CHARS,
    /** An item holds more JSON values: left out (its building stopped there), the rest processed. */
    MAX_ITEM_VALUES;

    /** The key under {@code appservice:}, e.g. {@code max_event_depth}. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }
}
