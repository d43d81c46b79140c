package org.conclave.sfu.forward;

import java.util.Map;
import org.conclave.sfu.codec.MediaKind;
import org.conclave.sfu.config.RateControlConfig;
import org.conclave.sfu.repair.PacketCache;
import org.conclave.sfu.repair.UpstreamLossDetector;
import org.conclave.sfu.rtp.Bytes;
import org.conclave.sfu.rtp.HeaderExtensions;
import org.conclave.sfu.rtp.ReceiveStatistics;
import org.conclave.sfu.rtp.RtpPacket;

/**
 * RTP from an endpoint, up to its source: decrypted once, its transport-wide number recorded for the sender's
 * feedback, bound to an {@link IncomingStream} (SDP-declared SSRC, MID or rid extension), RTX restored into the packet
 * it repairs, gaps noted for upstream NACKs, checked by the end-to-end-encryption guard, then handed to its
 * {@link SourceRoute}, which forwards it. Packet thread only; no allocation once a stream is bound.
 */
final class RtpIngress {
    /** SSRCs one endpoint may send (media, RTX, simulcast layers); more is hostile. */
    static final int MAX_INCOMING_STREAMS = 64;

    private final PacketIo io;
    private final WorkerStats stats;
    private final E2eeEnforcement e2ee;
    private final RateControlConfig rates;
    private volatile PacketTap tap;

    RtpIngress(PacketIo io, WorkerStats stats, E2eeEnforcement e2ee, RateControlConfig rates) {
        this.io = io;
        this.stats = stats;
        this.e2ee = e2ee;
        this.rates = rates;
    }

    void setTap(PacketTap tap) {
        this.tap = tap;
    }

    /** An SRTP packet from {@code ep} (keys installed) in {@code rx}. */
    void onRtp(EndpointMedia ep, byte[] rx, int len, long now) {
        int n = ep.srtp.unprotectRtp(rx, 0, len);
        if (n < 0) {
            ep.srtpErrors++;
            return;
        }
        if (RtpPacket.validate(rx, 0, n) < 0) {
            ep.malformedDrops++;
            return;
        }
        ep.rtpReceived++;
        stats.rtpDecrypted++;
        int transportCcAt = recordArrival(ep, rx, n, now);
        PacketTap t = tap;
        if (t != null) t.onDecryptedRtp(ep.id, rx, 0, n);
        IncomingStream in = ep.incoming(RtpPacket.ssrc(rx, 0));
        if (in == null && (in = bind(ep, rx, n)) == null) {
            ep.unknownSsrcDrops++;
            return;
        }
        in.packets++;
        in.bytes += n;
        in.lastPacketNanos = now;
        boolean retransmission = in.repairs != null;
        if (retransmission) {
            // RTX: restore the original packet (RFC 4588) and handle it as a late packet of the stream it repairs.
            n = unwrapRtx(in, rx, n);
            if (n < 0) {
                stats.codecDrops++; // padding-only probes and RTX without a known codec
                return;
            }
            in = in.repairs;
            stats.rtxReceived++;
        } else {
            in.stats.onPacket(RtpPacket.sequence(rx, 0), RtpPacket.timestamp(rx, 0), now);
        }
        SourceRoute route = in.route;
        // The offset holds only if this m-line numbers transport-cc as the endpoint does (BUNDLE usually agrees).
        if (route.transportCcExtensionId != ep.transportCcExtensionId) transportCcAt = EndpointMedia.FIND_TRANSPORT_CC;
        int pt = RtpPacket.payloadType(rx, 0);
        if (!route.mediaPayloadTypes[pt]) {
            stats.codecDrops++; // unnegotiated formats never feed a source
            return;
        }
        if (in.loss != null) in.loss.onPacket(RtpPacket.sequence(rx, 0), now);
        if (!retransmission) {
            in.lastTimestamp = RtpPacket.timestamp(rx, 0);
            in.hasTimestamp = true;
        }
        // Before anything forwards, caches or measures it; also for muted and waiting endpoints (the counter goes on).
        if (ep.e2ee != null && !e2ee.admit(ep, in, pt, rx, n, retransmission, now)) return;
        if (ep.held || (ep.audioMuted && route.source.kind() == MediaKind.AUDIO)) {
            stats.heldOrMutedDrops++;
            return;
        }
        int previousInput = route.inputOf(in.layer, in.ssrc);
        if (!route.admitInput(in, now)) {
            stats.inactiveStreamDrops++; // a second live SSRC on one layer (a single-layer m-line's one)
            return;
        }
        if (previousInput != in.ssrc) ep.replaceIncoming(previousInput); // the sender restarted its stream (layer)
        route.forward(rx, n, in, transportCcAt, now, io, stats);
    }

    /**
     * Every packet the sender numbered counts for its estimator (RTX and probes too). @return where the number sits
     * (each receiver's own is written there), or {@link EndpointMedia#NO_TRANSPORT_CC}
     */
    private static int recordArrival(EndpointMedia ep, byte[] rx, int n, long now) {
        if (ep.arrivals == null) return EndpointMedia.NO_TRANSPORT_CC;
        long found = HeaderExtensions.find(rx, 0, n, ep.transportCcExtensionId);
        if (found == HeaderExtensions.NOT_FOUND || HeaderExtensions.dataLength(found) < 2) {
            return EndpointMedia.NO_TRANSPORT_CC;
        }
        int at = HeaderExtensions.dataOffset(found);
        ep.arrivals.onPacket(Bytes.uint16(rx, at), now);
        return at;
    }

    /** Rewrites an RTX packet in place into the packet it repairs. @return its length, or -1 to drop it */
    private static int unwrapRtx(IncomingStream rtx, byte[] rx, int n) {
        int apt = rtx.route.rtxApt[RtpPacket.payloadType(rx, 0)];
        int off = RtpPacket.payloadOffset(rx, 0);
        int payload = RtpPacket.payloadLength(rx, 0, n);
        if (apt < 0 || payload < 2) return -1;
        int originalSeq = ((rx[off] & 0xFF) << 8) | (rx[off + 1] & 0xFF);
        System.arraycopy(rx, off + 2, rx, off, n - off - 2);
        RtpPacket.setSequence(rx, 0, originalSeq);
        RtpPacket.setSsrc(rx, 0, rtx.repairs.ssrc);
        RtpPacket.setPayloadType(rx, 0, apt);
        return n - 2;
    }

    /**
     * Finds which upstream m-line (and simulcast layer) an unknown SSRC belongs to: SDP-declared SSRCs first, then
     * the MID and rid header extensions. RTX SSRCs are bound to the media stream they repair (a=ssrc-group:FID, or
     * repaired-rid).
     */
    private IncomingStream bind(EndpointMedia ep, byte[] rx, int len) {
        int ssrc = RtpPacket.ssrc(rx, 0);
        SourceRoute route = ep.routeDeclaring(ssrc);
        if (route == null && ep.midExtensionId > 0) {
            long found = HeaderExtensions.find(rx, 0, len, ep.midExtensionId);
            if (found != HeaderExtensions.NOT_FOUND) {
                route = ep.routeByMid(rx, HeaderExtensions.dataOffset(found), HeaderExtensions.dataLength(found));
            }
        }
        if (route == null || ep.incoming.length >= MAX_INCOMING_STREAMS) return null;
        ReceiveStatistics statistics = new ReceiveStatistics(ssrc, route.source.clockRate(), 1);
        IncomingStream in;
        if (route.rtxApt[RtpPacket.payloadType(rx, 0)] >= 0) {
            IncomingStream media = repairedStream(ep, route, ssrc, rx, len);
            if (media == null) return null;
            in = new IncomingStream(ssrc, route, statistics, media.layer, media, null, null);
        } else {
            int layer = layerOf(route, ssrc, rx, len);
            if (layer < 0) return null;
            UpstreamLossDetector loss = route.source.nack() ? new UpstreamLossDetector(rates.nack()) : null;
            // Video is kept once here for every receiver's NACKs (each receiver only logs what it was sent).
            PacketCache cache = route.source.kind() == MediaKind.VIDEO ? new PacketCache(rates.nack()) : null;
            in = new IncomingStream(ssrc, route, statistics, layer, null, loss, cache);
        }
        ep.addIncoming(in);
        return in;
    }

    /** The simulcast layer of a media SSRC: from a=ssrc-group:SIM, else the rid extension; -1 if unknown yet. */
    private static int layerOf(SourceRoute route, int ssrc, byte[] rx, int len) {
        if (route.layerCount == 1) return 0;
        int layer = route.layerOfDeclaredSsrc(ssrc);
        if (layer >= 0) return layer;
        if (route.ridExtensionId > 0) {
            long found = HeaderExtensions.find(rx, 0, len, route.ridExtensionId);
            if (found != HeaderExtensions.NOT_FOUND) {
                return route.layerOfRid(rx, HeaderExtensions.dataOffset(found), HeaderExtensions.dataLength(found));
            }
        }
        return -1;
    }

    private static IncomingStream repairedStream(EndpointMedia ep, SourceRoute route, int rtxSsrc, byte[] rx,
            int len) {
        for (Map.Entry<Long, Long> e : route.source.rtxSsrcs().entrySet()) {
            if (e.getKey().intValue() == rtxSsrc) return ep.incoming(e.getValue().intValue());
        }
        if (route.repairedRidExtensionId > 0) {
            long found = HeaderExtensions.find(rx, 0, len, route.repairedRidExtensionId);
            if (found != HeaderExtensions.NOT_FOUND) {
                int layer = route.layerOfRid(rx, HeaderExtensions.dataOffset(found), HeaderExtensions.dataLength(found));
                if (layer >= 0 && route.layerSsrc[layer] != 0) return ep.incoming(route.layerSsrc[layer]);
            }
        }
        if (route.layerCount == 1 && route.hasInput) return ep.incoming(route.currentInputSsrc);
        return null;
    }
}
