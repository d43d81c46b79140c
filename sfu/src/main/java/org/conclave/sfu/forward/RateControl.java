package org.conclave.sfu.forward;

import java.util.ArrayList;
import java.util.List;
import org.conclave.sfu.bwe.LayerDecision;
import org.conclave.sfu.bwe.RateRequest;
import org.conclave.sfu.bwe.SendSideEstimator;
import org.conclave.sfu.config.RateControlConfig;
import org.conclave.sfu.control.VideoQuality;
import org.conclave.sfu.rtcp.ReceiverReport;
import org.conclave.sfu.rtcp.ReportBlock;

/**
 * Rate control on the packet thread (docs/architecture.md, "Rate control"): layer bitrates, each receiver's estimate
 * shared among its streams, each sender's clamp sent as REMB/TMMBR, probing receivers that are held back, the
 * transport-cc feedback senders' own estimators need, and round-trip times from report blocks. Owned by the packet
 * thread; no allocation per packet.
 */
final class RateControl {
    /** A receiver held on a thumbnail is probed this often, for this long (see {@link org.conclave.sfu.bwe.Prober}). */
    static final long PROBE_INTERVAL_MS = 4_000;
    static final long PROBE_DURATION_MS = 600;
    /** A probe aims this far above the rate that would bring the receiver back to full-res. */
    static final double PROBE_OVERSHOOT = 1.5;
    /** A viewer whose share is within this factor of its sender's request is the one holding the sender back. */
    static final double LIMITING_MARGIN = 1.05;
    /** A probe succeeded when the receiver acknowledged at least this share of its target. */
    static final double PROBE_SUCCESS = 0.8;
    /** Weight of a new bitrate measurement (smoothing over about two windows). */
    static final double BITRATE_SMOOTHING = 0.5;
    /** Round trips beyond this are clock errors, not networks. */
    static final long MAX_RTT_MS = 10_000;
    /** Video SSRCs one REMB lists at most. */
    static final int MAX_REMB_SSRCS = 32;

    private final PacketIo io;
    private final byte[] tx;
    private final WorkerStats stats;
    private final RateControlConfig rates;
    private final MediaWorker.Listener listener;
    private final DownlinkShares shares;
    private final LossRepair lossRepair;
    private final int[] ssrcScratch = new int[MAX_REMB_SSRCS];
    private final int[] oneSsrc = new int[1];
    private final List<LayerDecision<OutgoingStream>> decisions = new ArrayList<>();

    RateControl(PacketIo io, WorkerStats stats, RateControlConfig rates, MediaWorker.Listener listener,
            LossRepair lossRepair) {
        this.lossRepair = lossRepair;
        this.io = io;
        this.tx = io.tx();
        this.stats = stats;
        this.rates = rates;
        this.listener = listener;
        this.shares = new DownlinkShares(rates.clamp(), rates.layers());
    }

    /** Per-layer (and audio) bitrates from byte counters, smoothed; the layer selectors learn them. */
    void measureBitrates(EndpointMedia[] endpoints, SourceRoute[] mirrors, long elapsedNanos) {
        if (elapsedNanos <= 0) return;
        for (EndpointMedia ep : endpoints) {
            ep.sendBitrateBps = (ep.rtpBytesSent - ep.rtpBytesAtLastRate) * 8 * 1_000_000_000L / elapsedNanos;
            ep.rtpBytesAtLastRate = ep.rtpBytesSent;
            measureInputs(ep.incoming, elapsedNanos);
            for (SourceRoute r : ep.routes) publishLayerRates(r);
        }
        for (SourceRoute m : mirrors) {
            measureInputs(m.mirrorInputs, elapsedNanos);
            publishLayerRates(m);
        }
    }

    private static void measureInputs(IncomingStream[] inputs, long elapsedNanos) {
        for (IncomingStream in : inputs) {
            long delta = in.bytes - in.bytesAtLastRate;
            in.bytesAtLastRate = in.bytes;
            if (in.repairs != null) continue;
            long bps = delta * 8 * 1_000_000_000L / elapsedNanos;
            long[] rates = in.route.layerBitrateBps;
            rates[in.layer] = rates[in.layer] == 0 ? bps
                    : (long) (BITRATE_SMOOTHING * bps + (1 - BITRATE_SMOOTHING) * rates[in.layer]);
        }
    }

    private static void publishLayerRates(SourceRoute r) {
        for (OutgoingStream out : r.subscribers) {
            if (out.selector == null) continue;
            for (int layer = 0; layer < r.layerCount; layer++) out.selector.setLayerBitrate(layer, r.layerBitrateBps[layer]);
        }
    }

    void allocate(EndpointMedia r, long now) {
        long estimate = r.downlink.bitrateBps(now);
        r.downlinkBps = estimate;
        shares.allocate(r, estimate, now);
    }

    /** Re-evaluates each of the sender's video clamps; sends REMB (or TMMBR) when one moved or is due. */
    void clampSender(EndpointMedia sender, long now) {
        boolean due = false;
        for (SourceRoute route : sender.routes) {
            if (route.clamp == null || !route.hasInput) continue;
            if (evaluateClamp(route, now) >= 0) due = true;
        }
        if (due && sender.srtp != null && sender.sendAddress != null) sendRateRequest(sender);
    }

    /**
     * A mirror's clamp (viewers of a source whose sender lives on another thread): its viewers below the floor are
     * demoted here; what the others can take goes to the sender's thread, which asks the sender for it.
     */
    void clampMirror(SourceRoute mirror, long now, boolean refresh) {
        if (mirror.clamp == null || !mirror.hasInput || mirror.closed) return;
        evaluateClamp(mirror, now);
        mirror.upstream.reportLimit(mirror.clamp.viewerLimitBps(), refresh);
    }

    /** Evaluates a clamp and moves its viewers to the thumbnail or back. @return what {@link SenderClamp#evaluate} said */
    private long evaluateClamp(SourceRoute route, long now) {
        decisions.clear();
        long request = route.clamp.evaluate(now, decisions);
        for (int i = 0; i < decisions.size(); i++) {
            LayerDecision<OutgoingStream> d = decisions.get(i);
            OutgoingStream out = d.viewer();
            out.demoted = d.quality() == VideoQuality.THUMBNAIL;
            if (out.selector != null) out.selector.setQuality(out.effectiveQuality());
            listener.onLayerChanged(out.receiver.id, route.source, out.effectiveQuality(), "bandwidth");
        }
        return request;
    }

    /**
     * REMB lists every video SSRC of the sender with the sum of its sources' requests (Chrome applies REMB to its
     * whole uplink); a sender that negotiated TMMBR gets one TMMBR per layer SSRC instead.
     */
    private void sendRateRequest(EndpointMedia sender) {
        int n = ReceiverReport.writeHeader(tx, 0, sender.rtcpSsrc, 0);
        long total = 0;
        int count = 0;
        boolean tmmbr = false;
        for (SourceRoute route : sender.routes) {
            if (route.clamp == null || !route.hasInput) continue;
            long bps = route.clamp.requestedBitrateBps();
            if (bps < 0) continue;
            if (route.source.tmmbr()) {
                tmmbr = true;
                for (int layer = 0; layer < route.layerCount; layer++) {
                    if (route.layerSsrc[layer] == 0) continue;
                    oneSsrc[0] = route.layerSsrc[layer];
                    int w = RateRequest.write(tx, n, sender.rtcpSsrc, oneSsrc, 1, bps, true);
                    if (w > 0) n += w;
                }
                continue;
            }
            total += bps;
            for (int layer = 0; layer < route.layerCount && count < ssrcScratch.length; layer++) {
                if (route.layerSsrc[layer] != 0) ssrcScratch[count++] = route.layerSsrc[layer];
            }
        }
        if (count > 0) {
            int w = RateRequest.write(tx, n, sender.rtcpSsrc, ssrcScratch, count, total, false);
            if (w > 0) n += w;
        }
        if (count == 0 && !tmmbr) return;
        stats.rateRequests++;
        int m = sender.protectRtcp(tx, n, stats);
        if (m > 0) io.send(m, sender.sendAddress);
    }

    /**
     * Probes a receiver that rate control holds on a thumbnail: paced RTX copies on top of its media, up to a target
     * above the recovery threshold; when the receiver acknowledged most of it, its estimate jumps to what it took.
     */
    void probe(EndpointMedia r, long now) {
        SendSideEstimator estimator = r.downlink.sendSide();
        if (estimator == null) return;
        // Probe when the receiver is held on a thumbnail, or when it is the one holding a sender back (its estimate
        // sets the sender's clamp): only probing shows that its link got faster.
        OutgoingStream carrier = null;
        boolean demoted = false;
        boolean limiting = false;
        for (OutgoingStream out : r.outgoing) {
            if (out.sent == null || !out.canRtx()) continue;
            if (carrier == null) carrier = out;
            demoted |= out.demoted;
            SourceRoute route = out.route;
            limiting |= out.budgetBps > 0 && route.clamp != null && route.layerCount > 1
                    && out.effectiveQuality() == VideoQuality.FULL_RES
                    && out.budgetBps <= route.clamp.requestedBitrateBps() * LIMITING_MARGIN;
        }
        boolean wanted = carrier != null && (demoted || limiting) && estimator.isFresh(now);
        long target = Math.max((long) (rates.clamp().floorBps() * rates.clamp().recoverFactor() * PROBE_OVERSHOOT),
                (long) (r.downlinkBps * PROBE_OVERSHOOT));
        if (r.prober.active(wanted, now)) {
            long acked = estimator.ackedBitrateBps();
            if (acked > r.probeMaxAckedBps) r.probeMaxAckedBps = acked;
            int bytes = carrier == null ? 0 : r.prober.bytesToSend(target, r.sendBitrateBps, now);
            while (bytes > 0) {
                int n = lossRepair.sendProbe(r, carrier, now);
                if (n <= 0) break;
                bytes -= n;
            }
        } else if (r.prober.resultDue(now)) {
            long acked = Math.max(r.probeMaxAckedBps, estimator.ackedBitrateBps());
            r.probeMaxAckedBps = 0;
            if (acked >= PROBE_SUCCESS * target) estimator.onProbeResult(acked, now);
        } else if (r.probeMaxAckedBps != 0 && !wanted) {
            r.probeMaxAckedBps = 0;
        }
    }

    void sendTransportFeedback(EndpointMedia sender) {
        int n = ReceiverReport.writeHeader(tx, 0, sender.rtcpSsrc, 0);
        int media = sender.incoming.length > 0 ? sender.incoming[0].ssrc : 0;
        int w = sender.arrivals.write(tx, n, sender.rtcpSsrc, media);
        if (w <= 0) return;
        int m = sender.protectRtcp(tx, n + w, stats);
        if (m > 0) {
            stats.transportFeedbackSent++;
            io.send(m, sender.sendAddress);
        }
    }

    /**
     * A receiver's report blocks about what we send it: the round trip (RFC 3550 §6.4.1, from the sender reports we
     * forwarded) sets how fast its estimate may climb.
     */
    void onReportBlocks(EndpointMedia receiver, byte[] rx, int first, int count, int end, long now) {
        SendSideEstimator estimator = receiver.downlink.sendSide();
        if (estimator == null) return;
        for (int i = 0; i < count; i++) {
            int at = first + i * ReportBlock.LENGTH;
            if (at + ReportBlock.LENGTH > end) return;
            OutgoingStream out = receiver.outgoingBySsrc(ReportBlock.ssrc(rx, at));
            long lsr = ReportBlock.lastSr(rx, at);
            if (out == null || lsr == 0 || (int) lsr != out.lastSrCompactNtp || out.lastSrSentNanos == 0) continue;
            long dlsrNanos = ReportBlock.delaySinceLastSr(rx, at) * 1_000_000_000L / 65_536;
            long rttMs = (now - out.lastSrSentNanos - dlsrNanos) / 1_000_000;
            if (rttMs < 0 || rttMs > MAX_RTT_MS) continue;
            receiver.rttMillis = receiver.rttMillis < 0 ? rttMs : (receiver.rttMillis * 7 + rttMs) / 8;
            estimator.setRttMillis(receiver.rttMillis);
        }
    }
}
