package org.conclave.sfu.sdp;

/** A c= line, e.g. IN IP4 0.0.0.0. */
public record Connection(String netType, String addrType, String address) {
    public static final Connection UNSPECIFIED_IP4 = new Connection("IN", "IP4", "0.0.0.0");

    public Connection {
        SdpText.token(netType, "c= network type");
        SdpText.token(addrType, "c= address type");
        SdpText.token(address, "c= address");
    }
}
