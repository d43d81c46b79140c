package org.conclave.sfu.forward;

import java.net.InetSocketAddress;
import org.conclave.sfu.config.RateControlConfig;
import org.conclave.sfu.rtp.RtpPacket;
import org.conclave.sfu.transport.PacketKind;

/**
 * Everything one packet thread does with a datagram, without the socket: the endpoint table and the classes that own
 * each part of the path. A datagram is demultiplexed by its first byte (RFC 7983) to {@link StunIngress}, the
 * endpoint's DTLS, {@link RtpIngress} or {@link RtcpTermination}; only datagrams from addresses an authenticated ICE
 * check validated get past STUN. What it sends goes through the {@link PacketIo} it was given (the thread's socket,
 * or a test's fake).
 */
final class PacketPath {
    /** Larger datagrams are not media (path MTU); they are dropped unread. */
    static final int MAX_DATAGRAM = 1500;

    final WorkerStats stats;
    final EndpointTable endpoints = new EndpointTable();
    final KeyFrameRelay keyFrames;
    final E2eeEnforcement e2ee;
    final Subscriptions subscriptions;
    final RtpIngress rtp;
    final RtcpTermination rtcp;
    final StunIngress stun;
    final Housekeeping housekeeping;
    final Pipes pipes;

    PacketPath(PacketIo io, WorkerStats stats, MediaWorker.Listener listener, RateControlConfig rates, Pipes pipes,
            long now) {
        this.stats = stats;
        this.pipes = pipes;
        this.keyFrames = new KeyFrameRelay(io, stats);
        LossRepair lossRepair = new LossRepair(io, stats, rates.nack(), keyFrames);
        RateControl rateControl = new RateControl(io, stats, rates, listener, lossRepair);
        this.e2ee = new E2eeEnforcement(stats, listener, keyFrames);
        this.subscriptions = new Subscriptions(endpoints, rates, keyFrames, e2ee, listener, pipes);
        this.rtp = new RtpIngress(io, stats, e2ee, rates);
        this.rtcp = new RtcpTermination(io, stats, rateControl, lossRepair, keyFrames);
        this.stun = new StunIngress(io, stats, endpoints, keyFrames);
        this.housekeeping = new Housekeeping(endpoints, rateControl, lossRepair, keyFrames, rtcp, listener, pipes, now);
    }

    /**
     * Another thread has viewers of {@code source}: its packets go there too, through {@code ring} to {@code mirror}
     * (a token here). Those viewers need a key frame to start, like any new viewer.
     */
    void attachPipe(Source source, PipeRing ring, SourceRoute mirror) {
        EndpointMedia sender = endpoints.get(source.endpointId());
        SourceRoute route = sender == null ? null : sender.routeByMid(source.mid());
        PacketThread there = ring.consumer;
        if (route == null || route.source != source) {
            there.execute(() -> there.path.pipes.closeMirror(mirror, there.path.subscriptions));
            return;
        }
        route.addPipe(new PipeOut(ring, mirror));
        there.execute(() -> mirror.upstream.homeRoute = route);
        long now = ring.producer.now();
        for (int layer = 0; layer < route.layerCount; layer++) keyFrames.request(route, layer, now);
    }

    /** One datagram of {@code len} bytes in {@code rx} from {@code from}. */
    void onDatagram(InetSocketAddress from, byte[] rx, int len, long now) {
        onPacket(from, from, rx, len, now);
    }

    /**
     * One packet from a path keyed {@code from}: a UDP source address, or an ICE-TCP connection's key (then
     * {@code peer} is its remote address, what STUN answers report).
     */
    void onPacket(InetSocketAddress from, InetSocketAddress peer, byte[] rx, int len, long now) {
        if (len > MAX_DATAGRAM) {
            stats.malformedDrops++;
            return;
        }
        EndpointMedia ep = endpoints.byAddress(from);
        PacketKind kind = PacketKind.of(rx, 0, len);
        if (ep != null && kind != PacketKind.STUN && !from.equals(ep.sendAddress)) {
            endpoints.moved(ep, from); // the client's media now comes from another address it validated
            stats.addressChanges++;
        }
        switch (kind) {
            case STUN -> stun.onStun(ep, from, peer, rx, len, now);
            case DTLS -> {
                if (ep == null || ep.dtls == null) {
                    stats.unauthenticatedDrops++;
                } else if (ep.srtp == null && !ep.dtlsBudget.take(now)) {
                    stats.dtlsFloodDrops++; // handshake records cost the DTLS pool work: bounded per endpoint
                } else {
                    ep.dtls.receive(rx, 0, len);
                }
            }
            case RTP_OR_RTCP -> {
                if (ep == null) {
                    stats.unauthenticatedDrops++;
                } else if (ep.srtp == null) {
                    stats.notReadyDrops++;
                } else if (RtpPacket.isRtcp(rx, 0, len)) {
                    rtcp.onRtcp(ep, rx, len, now);
                } else {
                    rtp.onRtp(ep, rx, len, now);
                }
            }
            default -> stats.malformedDrops++;
        }
    }
}
