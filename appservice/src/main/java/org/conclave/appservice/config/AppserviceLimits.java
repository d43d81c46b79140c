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
 * @param maxTransactionValues a body holding more JSON values than this (objects, lists, strings, numbers, booleans,
 *     nulls, counted as they are read) is refused whole (413), parsing stopped at the first value too many: the
 *     decoded tree costs up to ~80 bytes of heap per value (an empty object), so this bounds a transaction's heap
 * @param transactionAckWaitMs a transaction is acknowledged once every event in it is processed, or after this long
 *     with the slow ones still running (their rooms wait for them): the homeserver sends the next transaction only
 *     after an acknowledgement, so one slow room would otherwise hold back every other room
 * @param homeserverConnections connections to the homeserver's client-server API at once; requests beyond wait
 */
public record AppserviceLimits(int maxTransactionKib, int maxEventDepth, int maxTransactionDepth, int maxNumberChars,
        int maxTransactionValues, int transactionAckWaitMs, int homeserverConnections) {
    public static final String MAX_TRANSACTION_KIB = "max_transaction_kib";
    public static final String MAX_EVENT_DEPTH = "max_event_depth";
    public static final String MAX_TRANSACTION_DEPTH = "max_transaction_depth";
    public static final String MAX_NUMBER_CHARS = "max_number_chars";
    public static final String MAX_TRANSACTION_VALUES = "max_transaction_values";
    public static final String TRANSACTION_ACK_WAIT_MS = "transaction_ack_wait_ms";
    public static final String HOMESERVER_CONNECTIONS = "homeserver_connections";

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
     * Synapse's largest transaction: 100 events, 100 EDUs, 100 to-device messages (synapse/appservice/scheduler.py),
     * each at most 64 KiB (MAX_PDU_SIZE, and for EDUs MAX_EDU_SIZE), a state event twice that with its
     * {@code unsigned.prev_content}: 25 MiB. Real content is at most one value per ~16 bytes (lists of user ids or
     * server names, receipts): 1.64 M values. 2 M leaves a fifth more, and holds the tree of a body of empty objects
     * to ~170 MiB of heap: 32 MiB of them needed a 925 MiB heap unbounded, 231 MiB so (docs/reliability.md).
     */
    public static final int DEFAULT_MAX_TRANSACTION_VALUES = 2_000_000;
    /** Most events are handled in milliseconds; what takes longer is waiting on the homeserver or a crowd. */
    public static final int DEFAULT_TRANSACTION_ACK_WAIT_MS = 1_000;
    /** Vert.x's default of 5 made a crowd's 300 answers queue for seconds in front of another room's one. */
    public static final int DEFAULT_HOMESERVER_CONNECTIONS = 32;

    public static final AppserviceLimits DEFAULTS = new AppserviceLimits(DEFAULT_MAX_TRANSACTION_KIB,
            DEFAULT_MAX_EVENT_DEPTH, DEFAULT_MAX_TRANSACTION_DEPTH, DEFAULT_MAX_NUMBER_CHARS,
            DEFAULT_MAX_TRANSACTION_VALUES, DEFAULT_TRANSACTION_ACK_WAIT_MS, DEFAULT_HOMESERVER_CONNECTIONS);

    public AppserviceLimits {
        new ConfigValidator(AppserviceConfig.SECTION)
                .range(MAX_TRANSACTION_KIB, maxTransactionKib, 64, 1024 * 1024)
                .range(MAX_EVENT_DEPTH, maxEventDepth, 8, 10_000)
                .range(MAX_TRANSACTION_DEPTH, maxTransactionDepth, 1_000, 1_000_000)
                .check(maxTransactionDepth > maxEventDepth, MAX_TRANSACTION_DEPTH, "must be greater than"
                        + " appservice.max_event_depth (" + maxEventDepth + "), or deep events would refuse their"
                        + " whole transaction instead of being left out", maxTransactionDepth)
                .range(MAX_NUMBER_CHARS, maxNumberChars, 25, 1_000)
                .range(MAX_TRANSACTION_VALUES, maxTransactionValues, 1_000, 1_000_000_000)
                .range(TRANSACTION_ACK_WAIT_MS, transactionAckWaitMs, 10, AppserviceConfig.MAX_TIMEOUT_MS)
                .range(HOMESERVER_CONNECTIONS, homeserverConnections, 1, 1_000)
                .throwIfInvalid();
    }

    /** Reads the keys from section {@code appservice}; problems go to the section (thrown by its source's finish). */
    static AppserviceLimits read(ConfigSection s) {
        int kib = s.integer(MAX_TRANSACTION_KIB, DEFAULT_MAX_TRANSACTION_KIB);
        int depth = s.integer(MAX_EVENT_DEPTH, DEFAULT_MAX_EVENT_DEPTH);
        int bodyDepth = s.integer(MAX_TRANSACTION_DEPTH, DEFAULT_MAX_TRANSACTION_DEPTH);
        int numberChars = s.integer(MAX_NUMBER_CHARS, DEFAULT_MAX_NUMBER_CHARS);
        int values = s.integer(MAX_TRANSACTION_VALUES, DEFAULT_MAX_TRANSACTION_VALUES);
        int ackWait = s.integer(TRANSACTION_ACK_WAIT_MS, DEFAULT_TRANSACTION_ACK_WAIT_MS);
        int connections = s.integer(HOMESERVER_CONNECTIONS, DEFAULT_HOMESERVER_CONNECTIONS);
        return s.build(() -> new AppserviceLimits(kib, depth, bodyDepth, numberChars, values, ackWait,
                connections));
    }

    public long maxTransactionBytes() {
        return maxTransactionKib * 1024L;
    }
}
