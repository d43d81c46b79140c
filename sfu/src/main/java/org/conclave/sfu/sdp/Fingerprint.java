package org.conclave.sfu.sdp;

import java.util.List;

/** a=fingerprint: hash function (e.g. sha-256) and the colon-separated hex digest. */
public record Fingerprint(String hashFunction, String value) {
    public Fingerprint {
        SdpText.token(hashFunction, "fingerprint hash function");
        SdpText.token(value, "fingerprint value");
    }

    /** Parses "sha-256 AB:CD:...". */
    public static Fingerprint parse(String s) {
        List<String> parts = SdpText.split(s);
        if (parts.size() != 2) {
            throw new IllegalArgumentException("a fingerprint must be '<hash function> <hex digest>', got '" + s + "'");
        }
        return new Fingerprint(parts.get(0), parts.get(1));
    }

    @Override
    public String toString() {
        return hashFunction + " " + value;
    }
}
