package org.conclave.appservice.config;

import org.conclave.sfu.config.ConfigSection;
import org.conclave.sfu.config.ConfigValidator;

/**
 * The limits of section {@code appservice} that keep one room, one hostile event or one slow homeserver answer from
 * holding back everyone else (docs/reliability.md, "Floods and abuse").
 *
 * @param maxTransactionKib largest transaction body the homeserver may push, in KiB; larger ones get HTTP 413
 * @param maxEventDepth an event (EDU, to-device message) nested deeper than this many levels is left out of its
 *     transaction unread (counted), the rest of the transaction is processed
 * @param maxTransactionDepth a body nested deeper than this many levels is refused whole (400): the JSON parser
 *     keeps one context per open level, so this bounds its memory; above {@code maxEventDepth}, which it must exceed
 * @param maxNumberChars an item holding a number longer than this many characters is left out unread (counted):
 *     big numbers cost quadratic time to convert
 * @param maxItemValues an item holding more JSON values than this (objects, lists, strings, numbers, booleans, nulls)
 *     is left out (counted), its building stopped at the first value too many and the rest of it skipped unread: one
 *     user's dense but legal event ({@code [0,0,...]}) cannot make its transaction too large to accept
 * @param maxTransactionValues a body whose decoded tree would hold more JSON values than this (counted as they are
 *     built; an item left out counts as one) is refused whole (413), parsing stopped at the first value too many: the
 *     tree costs up to ~80 bytes of heap per value (an empty object), so this bounds a transaction's heap; more than
 *     {@link #MAX_HOMESERVER_ITEMS} items of {@code maxItemValues} each, so no homeserver's transaction reaches it
 * @param transactionAckWaitMs a transaction is acknowledged once every event in it is processed, or after this long
 *     with the slow ones still running (their rooms wait for them): the homeserver sends the next transaction only
 *     after an acknowledgement, so one slow room would otherwise hold back every other room
 * @param homeserverConnections connections to the homeserver's client-server API at once; requests beyond wait
 * @param transactionUnitsInFlight most units (events, EDUs, to-device messages) of one transaction claimed and not
 *     done at once; its units are handed over in slices of half of it, one per turn of the event loop, so that a
 *     transaction of millions of units costs its tree plus this window (~750 bytes a unit), not ~750 bytes a unit
 */
public record AppserviceLimits(int maxTransactionKib, int maxEventDepth, int maxTransactionDepth, int maxNumberChars,
        int maxItemValues, int maxTransactionValues, int transactionAckWaitMs, int homeserverConnections,
        int transactionUnitsInFlight) {
    public static final String MAX_TRANSACTION_KIB = "max_transaction_kib";
    public static final String MAX_EVENT_DEPTH = "max_event_depth";
    public static final String MAX_TRANSACTION_DEPTH = "max_transaction_depth";
    public static final String MAX_NUMBER_CHARS = "max_number_chars";
    public static final String MAX_ITEM_VALUES = "max_item_values";
    public static final String MAX_TRANSACTION_VALUES = "max_transaction_values";
    public static final String TRANSACTION_ACK_WAIT_MS = "transaction_ack_wait_ms";
    public static final String HOMESERVER_CONNECTIONS = "homeserver_connections";
    public static final String TRANSACTION_UNITS_IN_FLIGHT = "transaction_units_in_flight";

    /**
     * Synapse sends at most 100 events, 100 EDUs and 100 to-device messages per transaction; events are at most
     * 64 KiB. 32 MiB leaves room for that and stops a runaway body.
     */
    public static final int DEFAULT_MAX_TRANSACTION_KIB = 32 * 1024;
    /** Deeper than any event a Matrix client sends; the parser keeps one frame per level up to it. */
    public static final int DEFAULT_MAX_EVENT_DEPTH = 64;
    /**
     * Deeper than any event of the spec's 64 KiB can be (32,768 levels), so that no homeserver's transaction is
     * refused for it (a refused transaction is retried for ever). Real homeservers stop far earlier (Python's JSON
     * decoder at about 1,000 levels, serde_json at 128).
     */
    public static final int DEFAULT_MAX_TRANSACTION_DEPTH = 100_000;
    /** A long needs 20 characters and a double 25; longer numbers are not worth parsing (BigInteger is quadratic). */
    public static final int DEFAULT_MAX_NUMBER_CHARS = 100;
    /**
     * Items in Synapse's largest transaction: 100 events, 100 EDUs, 100 to-device messages
     * (synapse/appservice/scheduler.py).
     */
    public static final int MAX_HOMESERVER_ITEMS = 300;
    /** Room for the body's own values around its items (the body, its lists, the few other top-level fields). */
    public static final int ENVELOPE_VALUES = 1_000;
    /**
     * Far above any event Conclave needs: a call member event, a to-device key message or a member event holds tens
     * of values; the largest, an m.room.power_levels of 64 KiB (the PDU limit) with its previous content in
     * {@code unsigned.prev_content}, ~2 × 2,300 users of ordinary ids (~28 bytes an entry), ~4,600 values
     * (docs/operators.md). The tree of a left-out item is dropped, so an item costs at most this many values at once.
     */
    public static final int DEFAULT_MAX_ITEM_VALUES = 10_000;
    /**
     * Above {@code 300 × max_item_values + 1,000} (3,001,000), so that no transaction a homeserver sends is refused;
     * holds the tree of a body of empty objects to ~320 MiB of heap (docs/reliability.md).
     */
    public static final int DEFAULT_MAX_TRANSACTION_VALUES = 4_000_000;
    private static final int MIN_ITEM_VALUES = 100;
    private static final int MAX_ITEM_VALUES_LIMIT = 1_000_000;
    private static final int MIN_TRANSACTION_VALUES = 1_000;
    private static final int MAX_TRANSACTION_VALUES_LIMIT = 1_000_000_000;
    /** Most events are handled in milliseconds; what takes longer is waiting on the homeserver or a crowd. */
    public static final int DEFAULT_TRANSACTION_ACK_WAIT_MS = 1_000;
    /** Vert.x's default of 5 made a crowd's 300 answers queue for seconds in front of another room's one. */
    public static final int DEFAULT_HOMESERVER_CONNECTIONS = 32;
    /**
     * Far above Synapse's 300 items (its transactions go over in one slice, as before slicing), ~7.5 MB of
     * bookkeeping at most; slices of 5,000 units claim in a few milliseconds and share one fsync each.
     */
    public static final int DEFAULT_TRANSACTION_UNITS_IN_FLIGHT = 10_000;

    public static final AppserviceLimits DEFAULTS = new AppserviceLimits(DEFAULT_MAX_TRANSACTION_KIB,
            DEFAULT_MAX_EVENT_DEPTH, DEFAULT_MAX_TRANSACTION_DEPTH, DEFAULT_MAX_NUMBER_CHARS,
            DEFAULT_MAX_ITEM_VALUES, DEFAULT_MAX_TRANSACTION_VALUES, DEFAULT_TRANSACTION_ACK_WAIT_MS,
            DEFAULT_HOMESERVER_CONNECTIONS, DEFAULT_TRANSACTION_UNITS_IN_FLIGHT);

    public AppserviceLimits {
        new ConfigValidator(AppserviceConfig.SECTION)
                .range(MAX_TRANSACTION_KIB, maxTransactionKib, 64, 1024 * 1024)
                .range(MAX_EVENT_DEPTH, maxEventDepth, 8, 10_000)
                .range(MAX_TRANSACTION_DEPTH, maxTransactionDepth, 1_000, 1_000_000)
                .check(maxTransactionDepth > maxEventDepth, MAX_TRANSACTION_DEPTH, "must be greater than"
                        + " appservice.max_event_depth (" + maxEventDepth + "), or deep events would refuse their"
                        + " whole transaction instead of being left out", maxTransactionDepth)
                .range(MAX_NUMBER_CHARS, maxNumberChars, 25, 1_000)
                .range(MAX_ITEM_VALUES, maxItemValues, MIN_ITEM_VALUES, MAX_ITEM_VALUES_LIMIT)
                .range(MAX_TRANSACTION_VALUES, maxTransactionValues, MIN_TRANSACTION_VALUES,
                        MAX_TRANSACTION_VALUES_LIMIT)
                .check(!inRange(maxItemValues, maxTransactionValues)
                        || maxTransactionValues > minTransactionValues(maxItemValues), MAX_TRANSACTION_VALUES,
                        "must be greater than " + MAX_HOMESERVER_ITEMS + " times appservice.max_item_values ("
                        + maxItemValues + ") + " + ENVELOPE_VALUES + " = " + minTransactionValues(maxItemValues)
                        + ", or a homeserver's transaction of " + MAX_HOMESERVER_ITEMS + " legal items could be"
                        + " refused, and it would be retried for ever", maxTransactionValues)
                .range(TRANSACTION_ACK_WAIT_MS, transactionAckWaitMs, 10, AppserviceConfig.MAX_TIMEOUT_MS)
                .range(HOMESERVER_CONNECTIONS, homeserverConnections, 1, 1_000)
                .range(TRANSACTION_UNITS_IN_FLIGHT, transactionUnitsInFlight, 10, 10_000_000)
                .throwIfInvalid();
    }

    /** With the default {@code transaction_units_in_flight}. */
    public AppserviceLimits(int maxTransactionKib, int maxEventDepth, int maxTransactionDepth, int maxNumberChars,
            int maxItemValues, int maxTransactionValues, int transactionAckWaitMs, int homeserverConnections) {
        this(maxTransactionKib, maxEventDepth, maxTransactionDepth, maxNumberChars, maxItemValues,
                maxTransactionValues, transactionAckWaitMs, homeserverConnections,
                DEFAULT_TRANSACTION_UNITS_IN_FLIGHT);
    }

    /** Reads the keys from section {@code appservice}; problems go to the section (thrown by its source's finish). */
    static AppserviceLimits read(ConfigSection s) {
        int kib = s.integer(MAX_TRANSACTION_KIB, DEFAULT_MAX_TRANSACTION_KIB);
        int depth = s.integer(MAX_EVENT_DEPTH, DEFAULT_MAX_EVENT_DEPTH);
        int bodyDepth = s.integer(MAX_TRANSACTION_DEPTH, DEFAULT_MAX_TRANSACTION_DEPTH);
        int numberChars = s.integer(MAX_NUMBER_CHARS, DEFAULT_MAX_NUMBER_CHARS);
        int itemValues = s.integer(MAX_ITEM_VALUES, DEFAULT_MAX_ITEM_VALUES);
        int values = s.integer(MAX_TRANSACTION_VALUES, DEFAULT_MAX_TRANSACTION_VALUES);
        int ackWait = s.integer(TRANSACTION_ACK_WAIT_MS, DEFAULT_TRANSACTION_ACK_WAIT_MS);
        int connections = s.integer(HOMESERVER_CONNECTIONS, DEFAULT_HOMESERVER_CONNECTIONS);
        int inFlight = s.integer(TRANSACTION_UNITS_IN_FLIGHT, DEFAULT_TRANSACTION_UNITS_IN_FLIGHT);
        return s.build(() -> new AppserviceLimits(kib, depth, bodyDepth, numberChars, itemValues, values, ackWait,
                connections, inFlight));
    }

    /** Both value limits within their ranges (else only the ranges are reported). */
    private static boolean inRange(int maxItemValues, int maxTransactionValues) {
        return maxItemValues >= MIN_ITEM_VALUES && maxItemValues <= MAX_ITEM_VALUES_LIMIT
                && maxTransactionValues >= MIN_TRANSACTION_VALUES
                && maxTransactionValues <= MAX_TRANSACTION_VALUES_LIMIT;
    }

    /** The values a transaction of {@link #MAX_HOMESERVER_ITEMS} items of {@code maxItemValues} each can hold. */
    static long minTransactionValues(int maxItemValues) {
        return (long) MAX_HOMESERVER_ITEMS * maxItemValues + ENVELOPE_VALUES;
    }

    public long maxTransactionBytes() {
        return maxTransactionKib * 1024L;
    }
}
