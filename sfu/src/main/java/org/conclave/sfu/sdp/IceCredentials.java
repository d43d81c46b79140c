package org.conclave.sfu.sdp;

/** A remote ICE ufrag and password pair. */
public record IceCredentials(String ufrag, String pwd) {
    public IceCredentials {
        SdpText.token(ufrag, "ICE ufrag");
        SdpText.token(pwd, "ICE password");
    }
}
