package org.conclave.sfu.sdp;

/** The direction of an a=rid line. */
public enum RidDirection {
    SEND("send"),
    RECV("recv");

    private final String token;

    RidDirection(String token) {
        this.token = token;
    }

    public String token() {
        return token;
    }
}
