package org.conclave.sfu.sdp;

/** a=setup (RFC 4145 / 8842): who opens the DTLS association. */
public enum Setup {
    ACTIVE("active"),
    PASSIVE("passive"),
    ACTPASS("actpass"),
    HOLDCONN("holdconn");

    private final String token;

    Setup(String token) {
        this.token = token;
    }

    public String token() {
        return token;
    }

    static Setup parse(String token) {
        for (Setup s : values()) {
            if (s.token.equals(token)) return s;
        }
        throw new IllegalArgumentException("a=setup must be active, passive, actpass or holdconn, got '" + token + "'");
    }
}
