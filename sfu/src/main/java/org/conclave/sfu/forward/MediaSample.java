package org.conclave.sfu.forward;

import java.util.ArrayList;
import java.util.List;

/**
 * A snapshot of the packet thread's per-endpoint counters, taken on that thread by {@link MediaWorker#sample} and
 * read anywhere afterwards (plain data; the totals only grow while an endpoint lives).
 *
 * @param takenNanos the packet thread's clock when taken
 */
public record MediaSample(long takenNanos, List<Endpoint> endpoints) {
    /**
     * One endpoint.
     *
     * @param rttMillis smoothed round trip from its report blocks, -1 before one
     * @param upstreamExpected RTP packets expected from it (RFC 3550 A.3, summed over its media streams)
     * @param upstreamReceived RTP packets received from it on those streams (retransmissions excluded)
     * @param srtpErrors SRTP/SRTCP from it that did not decrypt or authenticate (what the SFU could not encrypt for
     *     it is {@link WorkerStats#srtpProtectDrops})
     * @param downlinkBps its downlink estimate, -1 unknown
     */
    public record Endpoint(String id, String conferenceId, long rttMillis, long rtpReceived, long rtpBytesReceived,
            long rtpSent, long rtpBytesSent, long upstreamExpected, long upstreamReceived, long srtpErrors,
            long unknownSsrcDrops, long malformedDrops, long e2eeDrops, long downlinkBps) {}

    static MediaSample of(EndpointMedia[] endpoints, long now) {
        List<Endpoint> out = new ArrayList<>(endpoints.length);
        for (EndpointMedia ep : endpoints) {
            long expected = 0;
            long received = 0;
            long bytes = 0;
            for (IncomingStream in : ep.incoming) {
                bytes += in.bytes;
                if (in.repairs != null) continue; // RTX: its packets repair another stream's sequence
                expected += in.stats.expected();
                received += in.stats.received();
            }
            out.add(new Endpoint(ep.id, ep.conferenceId, ep.rttMillis, ep.rtpReceived, bytes, ep.rtpSent,
                    ep.rtpBytesSent, expected, received, ep.srtpErrors, ep.unknownSsrcDrops, ep.malformedDrops,
                    ep.e2ee == null ? 0 : ep.e2ee.packetsRefused(), ep.downlinkBps));
        }
        return new MediaSample(now, List.copyOf(out));
    }
}
