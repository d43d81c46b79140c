package org.conclave.tests.harness;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * What one participant saw.
 *
 * @param connectionState RTCPeerConnection.connectionState when the stats were taken
 * @param connectedMs milliseconds from the peer's start to "connected", or null if it never connected
 * @param events the signal event types the peer received, in order ("offer", "connected", "failed", ...)
 * @param failure the "failed" event's reason if one arrived (a {@link org.conclave.sfu.control.FailureReason} name)
 * @param error what went wrong in the peer itself, or null
 * @param e2ee what a page in an end-to-end-encryption mode reports about its keys and transforms (tests/js/web/e2ee.js),
 *     or null
 * @param datachannel what a peer run with {@code --datachannel} reports (tests/js/web/datachannel-check.js), or null
 * @param localMsids "stream track" of every a=msid the peer sent in its last local description: the ids receivers
 *     should see for its media
 * @param iceRestarts the ICE restarts a page made (peer.html's restartIceOnDisconnect), oldest first
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
        String error,
        JsonNode e2ee,
        JsonNode datachannel,
        List<String> localMsids,
        List<IceRestartReport> iceRestarts) {

    public PeerStats {
        localMsids = localMsids == null ? List.of() : List.copyOf(localMsids);
        iceRestarts = iceRestarts == null ? List.of() : List.copyOf(iceRestarts);
        events = events == null ? List.of() : List.copyOf(events);
        inbound = inbound == null ? List.of() : List.copyOf(inbound);
        outbound = outbound == null ? List.of() : List.copyOf(outbound);
    }
}
