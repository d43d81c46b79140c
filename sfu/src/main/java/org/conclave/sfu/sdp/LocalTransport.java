package org.conclave.sfu.sdp;

import java.util.List;

/**
 * The SFU side of one client's transport, as it goes into SDP.
 *
 * @param fingerprint our DTLS certificate fingerprint, "sha-256 AB:CD:..."
 * @param candidates our ICE candidates, each "candidate:..." already formatted; the first is the default address
 * @param sessionId o= session id of the descriptions we write
 * @param sessionVersion o= version of the description we write; a later one gets at least one more than the last
 *     (an SFU offer made again while the client may still answer the first needs a version of its own)
 * @param acceptDataChannel whether an offered data channel m-line is accepted (else rejected with port 0)
 */
public record LocalTransport(String iceUfrag, String icePwd, String fingerprint, List<String> candidates,
                             long sessionId, long sessionVersion, boolean acceptDataChannel) {
    /** The placeholder port when there is no candidate (RFC 8840 4.1). */
    static final int DISCARD_PORT = 9;

    public LocalTransport {
        SdpText.token(iceUfrag, "our ICE ufrag");
        SdpText.token(icePwd, "our ICE password");
        Fingerprint.parse(fingerprint);
        candidates = List.copyOf(candidates);
        for (String c : candidates) {
            if (!c.startsWith("candidate:")) throw new IllegalArgumentException("candidate must start with 'candidate:': " + c);
            SdpText.text(c, "candidate", false);
            List<String> t = SdpText.split(c.substring("candidate:".length()));
            if (t.size() < 8) throw new IllegalArgumentException("candidate has fewer than 8 fields: " + c);
            SdpText.number(t.get(5), 65535, "candidate port");
        }
        if (sessionId < 0 || sessionVersion < 0) throw new IllegalArgumentException("o= id and version must not be negative");
    }

    public LocalTransport(String iceUfrag, String icePwd, String fingerprint, List<String> candidates, long sessionId,
                          long sessionVersion) {
        this(iceUfrag, icePwd, fingerprint, candidates, sessionId, sessionVersion, false);
    }

    public LocalTransport withAcceptDataChannel(boolean accept) {
        return new LocalTransport(iceUfrag, icePwd, fingerprint, candidates, sessionId, sessionVersion, accept);
    }

    public Fingerprint parsedFingerprint() {
        return Fingerprint.parse(fingerprint);
    }

    /** The c= line for our sections: the first candidate's address, or 0.0.0.0 (RFC 8840 default). */
    Connection defaultConnection() {
        String address = defaultAddress();
        if (address == null) return Connection.UNSPECIFIED_IP4;
        return new Connection("IN", address.indexOf(':') >= 0 ? "IP6" : "IP4", address);
    }

    /** The m= port for our sections: the first candidate's port, or 9 (RFC 8840 default) with no usable address. */
    int defaultPort() {
        if (defaultAddress() == null) return DISCARD_PORT;
        return (int) SdpText.number(fields(0).get(5), 65535, "candidate port");
    }

    /** The first candidate's address if it is an IP literal (an mDNS host name is not allowed on c=), else null. */
    private String defaultAddress() {
        if (candidates.isEmpty()) return null;
        String address = fields(0).get(4);
        boolean ip6 = address.indexOf(':') >= 0 && address.chars().allMatch(ch -> ch == ':' || ch == '.'
                || Character.digit(ch, 16) >= 0);
        boolean ip4 = address.chars().allMatch(ch -> ch == '.' || (ch >= '0' && ch <= '9'));
        return ip6 || ip4 ? address : null;
    }

    private List<String> fields(int index) {
        return SdpText.split(candidates.get(index).substring("candidate:".length()));
    }
}
