package org.conclave.sfu.sdp;

/** The o= line. The session id is kept as text (peers write up to 64-bit values); the version is a number. */
public record Origin(String username, String sessionId, long sessionVersion, String netType, String addrType,
                     String address) {
    public Origin {
        SdpText.token(username, "o= username");
        SdpText.token(sessionId, "o= session id");
        if (sessionVersion < 0) throw new IllegalArgumentException("o= session version must not be negative");
        SdpText.token(netType, "o= network type");
        SdpText.token(addrType, "o= address type");
        SdpText.token(address, "o= address");
    }

    public Origin withSessionVersion(long version) {
        return new Origin(username, sessionId, version, netType, addrType, address);
    }
}
