package org.conclave.sfu.forward;

import org.conclave.sfu.bwe.NackOptions;
import org.conclave.sfu.bwe.UpstreamLossDetector;
import org.conclave.sfu.rtcp.GenericNack;
import org.conclave.sfu.rtcp.ReceiverReport;
import org.conclave.sfu.rtcp.RtcpFeedback;

/**
 * Loss repair on the packet thread: receivers' NACKs answered from what was sent to them (RTX when negotiated),
 * and gaps in senders' streams NACKed upstream (a key frame asked for what is given up). Owned by the packet
 * thread; no allocation.
 */
final class LossRepair {
    private final PacketIo io;
    private final byte[] tx;
    private final WorkerStats stats;
    private final int[] lostScratch;

    LossRepair(PacketIo io, WorkerStats stats, NackOptions options) {
        this.io = io;
        this.tx = io.tx();
        this.stats = stats;
        this.lostScratch = new int[options.upstreamMaxMissing()];
    }

    /** A receiver's NACK: resent from the cache (as RTX when negotiated); what the SFU lacks it NACKed upstream. */
    void onNack(EndpointMedia receiver, byte[] rx, int off, int len, long now) {
        OutgoingStream out = receiver.outgoingBySsrc(RtcpFeedback.mediaSsrc(rx, off));
        if (out == null || out.nack == null || receiver.srtp == null || receiver.sendAddress == null) return;
        int count = out.nack.onNack(rx, off, len, now);
        for (int i = 0; i < count; i++) {
            int n = out.nack.writeResend(i, tx, 0, now);
            if (n <= 0) continue;
            stats.retransmissions++;
            io.sendRtp(receiver, out, n, now);
        }
    }

    /** NACKs what each of the sender's video streams is missing; asks for a key frame for what it gave up on. */
    void nackUpstream(EndpointMedia sender, long now) {
        for (IncomingStream in : sender.incoming) {
            UpstreamLossDetector loss = in.loss;
            if (loss == null) continue;
            int lost = loss.collect(now, lostScratch);
            if (lost > 0) {
                int n = ReceiverReport.writeHeader(tx, 0, sender.rtcpSsrc, 0);
                int w = GenericNack.write(tx, n, sender.rtcpSsrc, in.ssrc, lostScratch, lost);
                if (w > 0) {
                    int m = sender.srtp.protectRtcp(tx, 0, n + w);
                    if (m > 0) io.send(m, sender.sendAddress);
                    stats.upstreamNacks++;
                }
            }
            if (loss.takeKeyFrameRequest()) io.requestKeyFrame(in.route, in.layer, now);
        }
    }

    void enableRtx(OutgoingStream out, int outPt) {
        out.rtxForPt = outPt;
        int rtxPt = out.rtxPayloadTypes[outPt];
        if (rtxPt >= 0 && out.route.source.rtxOutSsrc() != 0) {
            out.nack.enableRtx((int) out.route.source.rtxOutSsrc(), rtxPt, out.outSsrc & 0x7FFF);
        } else {
            out.nack.disableRtx();
        }
    }
}
