package org.conclave.tests.harness;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * What one participant saw.
 *
 * @param connectionState RTCPeerConnection.connectionState when the stats were taken
 * @param connectedMs milliseconds from the peer's start to "connected", or null if it never connected
 * @param events the signal event types the peer received, in order ("offer", "connected", "failed", ...)
 * @param failure the "failed" event's reason if one arrived (a {@link org.conclave.sfu.control.FailureReason} name)
 * @param error what went wrong in the peer itself, or null
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record PeerStats(
        String participant,
        String endpointId,
        String connectionState,
        Long connectedMs,
        List<String> events,
        String failure,
        List<InboundRtp> inbound,
        List<OutboundRtp> outbound,
        String error) {

    public PeerStats {
        events = events == null ? List.of() : List.copyOf(events);
        inbound = inbound == null ? List.of() : List.copyOf(inbound);
        outbound = outbound == null ? List.of() : List.copyOf(outbound);
    }
}
