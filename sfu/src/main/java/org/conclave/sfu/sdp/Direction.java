package org.conclave.sfu.sdp;

import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;

/** Media direction attribute, also used on a=extmap. */
public enum Direction {
    SENDRECV("sendrecv"),
    SENDONLY("sendonly"),
    RECVONLY("recvonly"),
    INACTIVE("inactive");

    /** The parser asks for every attribute line: one lookup, not a copy of values() and four comparisons. */
    private static final Map<String, Direction> BY_TOKEN =
            Arrays.stream(values()).collect(Collectors.toUnmodifiableMap(Direction::token, d -> d));

    private final String token;

    Direction(String token) {
        this.token = token;
    }

    public String token() {
        return token;
    }

    /** The direction for this token, or null if it is not one. */
    public static Direction fromToken(String token) {
        return token == null ? null : BY_TOKEN.get(token);
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
