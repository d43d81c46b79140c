package org.conclave.sfu.sctp.dcep;

/** SCTP Payload Protocol Identifiers of WebRTC data channels (RFC 8831 §8, RFC 8832 §8.1). */
public final class Ppid {
    public static final int DCEP = 50;
    public static final int STRING = 51;
    /** Deprecated partial-message PPIDs: rejected. */
    public static final int STRING_PARTIAL = 52;
    public static final int BINARY = 53;
    public static final int BINARY_PARTIAL = 54;
    /** Empty messages: SCTP cannot carry zero bytes, so one (ignored) byte is sent with these PPIDs. */
    public static final int STRING_EMPTY = 56;
    public static final int BINARY_EMPTY = 57;

    private Ppid() {
    }
}
