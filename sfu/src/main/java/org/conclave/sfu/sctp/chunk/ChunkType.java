package org.conclave.sfu.sctp.chunk;

/** Chunk type numbers (RFC 9260 §3.2, RFC 3758, RFC 6525) and the rule for types this stack does not know. */
public final class ChunkType {
    public static final int DATA = 0;
    public static final int INIT = 1;
    public static final int INIT_ACK = 2;
    public static final int SACK = 3;
    public static final int HEARTBEAT = 4;
    public static final int HEARTBEAT_ACK = 5;
    public static final int ABORT = 6;
    public static final int SHUTDOWN = 7;
    public static final int SHUTDOWN_ACK = 8;
    public static final int ERROR = 9;
    public static final int COOKIE_ECHO = 10;
    public static final int COOKIE_ACK = 11;
    public static final int SHUTDOWN_COMPLETE = 14;
    public static final int RE_CONFIG = 130;
    public static final int FORWARD_TSN = 192;

    private ChunkType() {
    }

    /** What the upper two bits of an unrecognized chunk (or parameter) type ask the receiver to do (RFC 9260 §3.2). */
    public enum UnknownAction {
        /** 00: stop processing the packet, discard the rest. */
        STOP,
        /** 01: as STOP, and report it in an ERROR (Unrecognized Chunk Type). */
        STOP_AND_REPORT,
        /** 10: skip it and continue. */
        SKIP,
        /** 11: skip it, continue, and report it. */
        SKIP_AND_REPORT;

        public static UnknownAction of(int type) {
            return values()[(type >>> 6) & 3];
        }

        public boolean stops() {
            return this == STOP || this == STOP_AND_REPORT;
        }

        public boolean reports() {
            return this == STOP_AND_REPORT || this == SKIP_AND_REPORT;
        }
    }
}
