package org.conclave.sfu.sdp;

import java.util.List;

/**
 * A client's answer to our re-offer, checked.
 *
 * @param state the new negotiation state to start the next re-offer from
 * @param rejectedDownstreamMids downstream m-lines the client refused (port 0): do not send on them
 */
public record AppliedAnswer(NegotiationState state, Negotiated negotiated, List<String> rejectedDownstreamMids) {
    public AppliedAnswer {
        rejectedDownstreamMids = List.copyOf(rejectedDownstreamMids);
    }
}
