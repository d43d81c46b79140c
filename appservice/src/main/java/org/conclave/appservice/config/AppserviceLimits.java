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
 * @param transactionAckWaitMs a transaction is acknowledged once every event in it is processed, or after this long
 *     with the slow ones still running (their rooms wait for them): the homeserver sends the next transaction only
 *     after an acknowledgement, so one slow room would otherwise hold back every other room
 * @param homeserverConnections connections to the homeserver's client-server API at once; requests beyond wait
 */
public record AppserviceLimits(int maxTransactionKib, int maxEventDepth, int transactionAckWaitMs,
        int homeserverConnections) {
    public static final String MAX_TRANSACTION_KIB = "max_transaction_kib";
    public static final String MAX_EVENT_DEPTH = "max_event_depth";
    public static final String TRANSACTION_ACK_WAIT_MS = "transaction_ack_wait_ms";
    public static final String HOMESERVER_CONNECTIONS = "homeserver_connections";

    /**
     * Synapse sends at most 100 events, 100 EDUs and 100 to-device messages per transaction; events are at most
     * 64 KiB. 32 MiB leaves room for that and stops a runaway body.
     */
    public static final int DEFAULT_MAX_TRANSACTION_KIB = 32 * 1024;
    /** Deeper than any event a Matrix client sends; the parser keeps one frame per level up to it. */
    public static final int DEFAULT_MAX_EVENT_DEPTH = 64;
    /** Most events are handled in milliseconds; what takes longer is waiting on the homeserver or a crowd. */
    public static final int DEFAULT_TRANSACTION_ACK_WAIT_MS = 1_000;
    /** Vert.x's default of 5 made a crowd's 300 answers queue for seconds in front of another room's one. */
    public static final int DEFAULT_HOMESERVER_CONNECTIONS = 32;

    public static final AppserviceLimits DEFAULTS = new AppserviceLimits(DEFAULT_MAX_TRANSACTION_KIB,
            DEFAULT_MAX_EVENT_DEPTH, DEFAULT_TRANSACTION_ACK_WAIT_MS, DEFAULT_HOMESERVER_CONNECTIONS);

    public AppserviceLimits {
        new ConfigValidator(AppserviceConfig.SECTION)
                .range(MAX_TRANSACTION_KIB, maxTransactionKib, 64, 1024 * 1024)
                .range(MAX_EVENT_DEPTH, maxEventDepth, 8, 10_000)
                .range(TRANSACTION_ACK_WAIT_MS, transactionAckWaitMs, 10, AppserviceConfig.MAX_TIMEOUT_MS)
                .range(HOMESERVER_CONNECTIONS, homeserverConnections, 1, 1_000)
                .throwIfInvalid();
    }

    /** Reads the keys from section {@code appservice}; problems go to the section (thrown by its source's finish). */
    static AppserviceLimits read(ConfigSection s) {
        int kib = s.integer(MAX_TRANSACTION_KIB, DEFAULT_MAX_TRANSACTION_KIB);
        int depth = s.integer(MAX_EVENT_DEPTH, DEFAULT_MAX_EVENT_DEPTH);
        int ackWait = s.integer(TRANSACTION_ACK_WAIT_MS, DEFAULT_TRANSACTION_ACK_WAIT_MS);
        int connections = s.integer(HOMESERVER_CONNECTIONS, DEFAULT_HOMESERVER_CONNECTIONS);
        return s.build(() -> new AppserviceLimits(kib, depth, ackWait, connections));
    }

    public long maxTransactionBytes() {
        return maxTransactionKib * 1024L;
    }
}
