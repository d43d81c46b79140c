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

    /** The direction for this token, or null if it is not one. */
    public static Direction fromToken(String token) {
        for (Direction d : values()) {
            if (d.token.equals(token)) return d;
        }
        return null;
    }

    /** Whether the side that wrote this direction sends media. */
    public boolean sends() {
        return this == SENDRECV || this == SENDONLY;
    }
}
