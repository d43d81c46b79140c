package org.conclave.sfu.sdp;

import java.util.Set;

/**
 * A re-offer the SFU sends to a client, waiting for the client's answer.
 *
 * @param previous the exchange this offer replaces once answered
 * @param downstreamMids mids of all m-lines the SFU sends on, old and new
 */
public record Offer(SessionDescription description, NegotiationState previous, Set<String> downstreamMids) {
    public Offer {
        downstreamMids = Set.copyOf(downstreamMids);
    }

    public String sdp() {
        return SdpWriter.write(description);
    }
}
