package org.conclave.appservice.journal;

/** What the journal knows about a unit. */
public enum UnitStatus {
    /** Never seen (or forgotten: older than the dedupe window). */
    NEW,
    /** Accepted by an earlier attempt that did not finish it: the handler may have seen it. */
    STARTED,
    /** Processed. */
    DONE
}
