package org.conclave.sfu.forward;

import org.conclave.sfu.codec.MediaKind;
import org.conclave.sfu.keyframe.KeyFrameRequestLimiter;
import org.conclave.sfu.bwe.LayerSelector;
import org.conclave.sfu.rtcp.Pli;
import org.conclave.sfu.rtcp.ReceiverReport;

/**
 * Key-frame requests to senders: receivers' PLI/FIR relayed within each receiver's budget and each layer's rate
 * (the rest coalesced into one sent when the interval ends), and the SFU's own needs (a new viewer, keys just
 * installed, a layer switch, upstream loss, an outage). Packet thread only; no allocation.
 */
final class KeyFrameRelay {
    private final PacketIo io;
    private final byte[] tx;
    private final WorkerStats stats;

    KeyFrameRelay(PacketIo io, WorkerStats stats) {
        this.io = io;
        this.tx = io.tx();
        this.stats = stats;
    }

    /** A receiver's PLI/FIR for what it gets on {@code out}, within its budget and the layer's rate. */
    void relay(OutgoingStream out, long now) {
        if (out == null) return;
        int layer = out.layerForKeyFrames(now);
        if (!canRequest(out.route, layer)) return;
        if (out.route.keyFrames[layer].onReceiverRequest(out.keyFrameBudget, now) == KeyFrameRequestLimiter.SEND_NOW) {
            sendPli(out.route, layer);
        }
    }

    /** The SFU's own need for a key frame of one layer. */
    void request(SourceRoute route, int layer, long now) {
        if (canRequest(route, layer) && route.keyFrames[layer].request(now) == KeyFrameRequestLimiter.SEND_NOW) {
            sendPli(route, layer);
        }
    }

    /** Every layer of a source that has viewers (they cannot decode what comes next without one). */
    void requestForViewers(SourceRoute route, long now) {
        if (!route.hasViewers()) return;
        for (int layer = 0; layer < route.layerCount; layer++) request(route, layer, now);
    }

    /** Key frames for what an endpoint receives: the layer each of its streams gets or is switching to. */
    void requestForReceiver(EndpointMedia receiver, long now) {
        for (OutgoingStream out : receiver.outgoing) request(out.route, out.layerForKeyFrames(now), now);
    }

    /**
     * After an outage (an ICE restart: a dead path, most likely) nobody can decode what crossed it without a key frame:
     * the endpoint's senders for what it receives, and the endpoint itself for every layer of its own videos.
     */
    void requestAfterOutage(EndpointMedia ep, long now) {
        requestForReceiver(ep, now);
        for (SourceRoute r : ep.routes) {
            for (int layer = 0; layer < r.layerCount; layer++) request(r, layer, now);
        }
    }

    /** Coalesced requests whose interval ended, and the layer switches the receivers' selectors wait for. */
    void poll(EndpointMedia ep, long now) {
        for (SourceRoute r : ep.routes) poll(r, now);
        for (OutgoingStream out : ep.outgoing) {
            if (out.selector == null) continue;
            int layer = out.selector.pollKeyFrameRequest(now);
            if (layer != LayerSelector.NONE) request(out.route, layer, now);
        }
    }

    /** A route's coalesced requests whose interval ended (a mirror's go to its home thread). */
    void poll(SourceRoute r, long now) {
        for (int layer = 0; layer < r.layerCount; layer++) {
            KeyFrameRequestLimiter limiter = r.keyFrames[layer];
            if (limiter.hasPending() && canRequest(r, layer) && limiter.poll(now)) sendPli(r, layer);
        }
    }

    /** Key frames exist only in video; a PLI naming an audio SSRC makes Chromium's sender misbehave. */
    private static boolean canRequest(SourceRoute route, int layer) {
        if (route.source.kind() != MediaKind.VIDEO || layer < 0 || layer >= route.layerCount
                || route.layerSsrc[layer] == 0) {
            return false;
        }
        return route.upstream != null ? route.upstream.attached() && !route.closed : route.sender.canSend();
    }

    private void sendPli(SourceRoute route, int layer) {
        if (route.upstream != null) {
            // The sender lives on another thread: its own limiter there decides.
            if (route.upstream.requestKeyFrame(layer)) stats.keyFrameRequestsPiped++;
            return;
        }
        EndpointMedia sender = route.sender;
        // An empty RR first keeps the compound valid for peers that do not do reduced-size RTCP.
        int n = ReceiverReport.writeHeader(tx, 0, sender.rtcpSsrc, 0);
        n += Pli.write(tx, n, sender.rtcpSsrc, route.layerSsrc[layer]);
        int m = sender.protectRtcp(tx, n, stats);
        if (m > 0) {
            stats.keyFrameRequestsSent++;
            io.send(m, sender.sendAddress);
        }
    }
}
