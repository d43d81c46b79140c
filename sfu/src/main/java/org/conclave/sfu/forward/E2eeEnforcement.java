package org.conclave.sfu.forward;

import java.util.ArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.util.List;
import org.conclave.sfu.e2ee.E2eeEndpointStats;
import org.conclave.sfu.e2ee.E2eeGuard;
import org.conclave.sfu.e2ee.E2eeState;
import org.conclave.sfu.e2ee.StreamFrames;
import org.conclave.sfu.rtp.RtpPacket;

/**
 * The packet thread's side of conferences that require end-to-end encryption: each endpoint's {@link E2eeGuard} sees
 * every media packet (also of muted or waiting endpoints, so its counter stays current) before anything else may
 * forward, cache or measure it. Holds are reported to the listener, once per hold; an endpoint leaving probation gets
 * key frames asked for its viewers.
 */
final class E2eeEnforcement {
    private static final Logger LOG = LoggerFactory.getLogger(E2eeEnforcement.class);

    private final WorkerStats stats;
    private final MediaWorker.Listener listener;
    private final KeyFrameRelay keyFrames;

    E2eeEnforcement(WorkerStats stats, MediaWorker.Listener listener, KeyFrameRelay keyFrames) {
        this.stats = stats;
        this.listener = listener;
        this.keyFrames = keyFrames;
    }

    /**
     * From now on the endpoint forwards only what its guard lets through. Packets it sent before stay out too: its
     * cached packets are dropped (no NACK answer or probe resends them) and frames of before the switch whose rest
     * arrives later are refused.
     */
    void require(EndpointMedia ep) {
        if (ep.e2ee != null) return;
        ep.e2ee = new E2eeGuard();
        for (IncomingStream in : ep.incoming) {
            if (in.cache != null) in.cache.clear();
            if (in.repairs == null) {
                in.frames = new StreamFrames();
                if (in.hasTimestamp) in.frames.untrusted(in.lastTimestamp);
            }
        }
    }

    /** Whether the packet in {@code rx} (a media packet of {@code in}, RTX already restored) may go on. */
    boolean admit(EndpointMedia ep, IncomingStream in, int pt, byte[] rx, int n, boolean retransmission, long now) {
        if (in.frames == null) in.frames = new StreamFrames();
        int verdict = ep.e2ee.check(in.frames, in.route.codecs[pt], RtpPacket.sequence(rx, 0),
                RtpPacket.timestamp(rx, 0), rx, RtpPacket.payloadOffset(rx, 0), RtpPacket.payloadLength(rx, 0, n),
                retransmission, now);
        switch (verdict) {
            case E2eeGuard.FORWARD -> {
                return true;
            }
            case E2eeGuard.FORWARD_TRUSTED -> {
                // Nothing was forwarded during probation: every viewer needs a key frame to start from.
                for (SourceRoute r : ep.routes) keyFrames.requestForViewers(r, now);
                listener.onE2eeTrusted(ep.id);
                return true;
            }
            case E2eeGuard.DROP_PADDING -> {
                stats.codecDrops++; // nothing to forward, nothing refused
                return false;
            }
            case E2eeGuard.REFUSE_HELD -> {
                stats.e2eeDrops++;
                stats.e2eeHolds++;
                listener.onMediaRefused(ep.id);
                return false;
            }
            default -> {
                stats.e2eeDrops++;
                return false;
            }
        }
    }

    /** The endpoint offered again: a held one starts over from probation. */
    void renegotiated(EndpointMedia ep) {
        if (ep.e2ee != null) ep.e2ee.renegotiated();
    }

    static E2eeEndpointStats snapshot(EndpointMedia ep) {
        E2eeGuard g = ep.e2ee;
        int media = 0;
        for (IncomingStream in : ep.incoming) {
            if (in.repairs == null) media++;
        }
        return new E2eeEndpointStats(ep.conferenceId, ep.id, g.state(), g.framesForwarded(), g.framesRefused(),
                g.framesRefusedWhileForwarding(), g.packetsRefused(), g.state() == E2eeState.HELD ? media : 0,
                g.holds());
    }

    /** Says in the log what the check refused of an endpoint that leaves. */
    static void logLeaving(EndpointMedia ep) {
        if (ep.e2ee == null || ep.e2ee.packetsRefused() == 0) return;
        E2eeEndpointStats s = snapshot(ep);
        LOG.info("endpoint {} of conference {} left: the end-to-end-encryption check refused {} frames ({} packets), "
                + "forwarded {}, held it {} times", ep.id, ep.conferenceId, s.framesRefused(), s.packetsRefused(),
                s.framesForwarded(), s.holds());
    }

    static List<E2eeEndpointStats> snapshot(EndpointMedia[] endpoints) {
        List<E2eeEndpointStats> out = new ArrayList<>();
        for (EndpointMedia ep : endpoints) {
            if (ep.e2ee != null) out.add(snapshot(ep));
        }
        return out;
    }
}
