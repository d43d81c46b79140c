package org.conclave.sfu.sdp;

/** Media direction attribute, also used on a=extmap. */
public enum Direction {
    SENDRECV("sendrecv"),
    SENDONLY("sendonly"),
    RECVONLY("recvonly"),
    INACTIVE("inactive");

    private final String token;

    Direction(String token) {
        this.token = token;
    }

    public String token() {
        return token;
    }

    /**
     * The direction for this token, or null if it is not one. The parser asks for every attribute line: a switch
     * (hash, then one comparison only when the hash is a direction's), not a copy of values() and four comparisons,
     * nor a map lookup (which the fuzzer's hooks follow key by key on every line).
     */
    public static Direction fromToken(String token) {
        if (token == null) return null;
        return switch (token) {
            case "sendrecv" -> SENDRECV;
            case "sendonly" -> SENDONLY;
            case "recvonly" -> RECVONLY;
            case "inactive" -> INACTIVE;
            default -> null;
        };
    }

    /** Whether the side that wrote this direction sends media. */
    public boolean sends() {
        return this == SENDRECV || this == SENDONLY;
    }

    /** Whether the side that wrote this direction receives media. */
    public boolean receives() {
        return this == SENDRECV || this == RECVONLY;
    }

    /** The direction of a side that sends and receives as told. */
    public static Direction of(boolean sends, boolean receives) {
        if (sends) return receives ? SENDRECV : SENDONLY;
        return receives ? RECVONLY : INACTIVE;
    }
}
