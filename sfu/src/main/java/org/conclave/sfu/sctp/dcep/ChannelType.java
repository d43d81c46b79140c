package org.conclave.sfu.sctp.dcep;

/** The Channel Type of DATA_CHANNEL_OPEN (RFC 8832 §5.1): ordering plus one of three reliability modes. */
public enum ChannelType {
    RELIABLE(0x00),
    RELIABLE_UNORDERED(0x80),
    PARTIAL_RELIABLE_REXMIT(0x01),
    PARTIAL_RELIABLE_REXMIT_UNORDERED(0x81),
    PARTIAL_RELIABLE_TIMED(0x02),
    PARTIAL_RELIABLE_TIMED_UNORDERED(0x82);

    /** How the Reliability Parameter is read. */
    public enum Reliability {
        RELIABLE,
        /** The parameter is the number of retransmissions allowed. */
        MAX_RETRANSMITS,
        /** The parameter is a lifetime in milliseconds. */
        MAX_LIFETIME
    }

    private final int code;

    ChannelType(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public boolean ordered() {
        return (code & 0x80) == 0;
    }

    public Reliability reliability() {
        return Reliability.values()[code & 0x7F];
    }

    /** The type with this code, or null. */
    public static ChannelType of(int code) {
        for (ChannelType t : values()) if (t.code == code) return t;
        return null;
    }

    public static ChannelType of(boolean ordered, Reliability reliability) {
        return of((ordered ? 0 : 0x80) | reliability.ordinal());
    }
}
