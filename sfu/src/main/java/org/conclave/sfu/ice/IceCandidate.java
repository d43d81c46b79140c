package org.conclave.sfu.ice;

import java.util.Map;

/**
 * A parsed remote candidate attribute (RFC 8839 §5.1). The address is kept as text: it may be an mDNS {@code .local}
 * name that we never resolve. {@code relatedAddress} is null and {@code relatedPort} -1 when absent; extensions
 * (e.g. {@code generation}, {@code ufrag}, {@code network-id}, {@code tcptype}) are kept in order of appearance.
 */
public record IceCandidate(String foundation, int component, String transport, long priority, String address,
                           int port, String type, String relatedAddress, int relatedPort,
                           Map<String, String> extensions) {

    /** Whether the address is an mDNS name (browsers hide host IPs this way). */
    public boolean isMdns() {
        return address.regionMatches(true, address.length() - 6, ".local", 0, 6);
    }
}
