package org.conclave.sfu.forward;

import org.conclave.sfu.repair.NackOptions;
import org.conclave.sfu.repair.PacketCache;
import org.conclave.sfu.repair.UpstreamLossDetector;
import org.conclave.sfu.rtcp.GenericNack;
import org.conclave.sfu.rtcp.ReceiverReport;
import org.conclave.sfu.rtcp.RtcpFeedback;
import org.conclave.sfu.rtp.Bytes;
import org.conclave.sfu.rtp.RtpPacket;

/**
 * Loss repair on the packet thread. Receivers' NACKs are answered from the input stream's cache (each packet kept
 * once, whatever the number of receivers) through the receiver's {@link SentLog}: the packet is rewritten again as it
 * went out, and sent as RTX (RFC 4588) when the receiver negotiated it. Gaps in senders' streams are NACKed upstream,
 * and a key frame asked for what is given up. Also writes the RTX copies that probe a receiver's downlink. No
 * allocation.
 */
final class LossRepair {
    /** Sequence numbers taken from one NACK; a NACK asking for more than the caches hold is mostly noise. */
    static final int MAX_SEQUENCES_PER_NACK = 512;

    private final PacketIo io;
    private final byte[] tx;
    private final WorkerStats stats;
    private final long maxAgeNanos;
    private final long resendIntervalNanos;
    private final int[] lostScratch;
    private final int[] nackScratch = new int[MAX_SEQUENCES_PER_NACK];

    private final KeyFrameRelay keyFrames;

    LossRepair(PacketIo io, WorkerStats stats, NackOptions options, KeyFrameRelay keyFrames) {
        this.io = io;
        this.keyFrames = keyFrames;
        this.tx = io.tx();
        this.stats = stats;
        this.maxAgeNanos = options.cacheMaxAgeMillis() * 1_000_000;
        this.resendIntervalNanos = options.resendIntervalMillis() * 1_000_000;
        this.lostScratch = new int[options.upstreamMaxMissing()];
    }

    /** A receiver's NACK: each packet still cached and not just resent goes out again. */
    void onNack(EndpointMedia receiver, byte[] rx, int off, int len, long now) {
        OutgoingStream out = receiver.outgoingBySsrc(RtcpFeedback.mediaSsrc(rx, off));
        if (out == null || out.sent == null) return;
        int count = GenericNack.lostSequences(rx, off, len, nackScratch);
        for (int i = 0; i < count; i++) {
            int entry = out.sent.find(nackScratch[i], now, maxAgeNanos);
            if (entry < 0) {
                stats.nackMisses++;
            } else if (!out.sent.markResent(entry, now, resendIntervalNanos)) {
                stats.nackSuppressed++;
            } else if (resend(receiver, out, entry, now)) {
                stats.retransmissions++;
            }
        }
    }

    /** An RTX copy of what the receiver got last (probing its downlink). @return bytes sent, 0 if none could be */
    int sendProbe(EndpointMedia receiver, OutgoingStream out, long now) {
        if (out.sent == null || !out.canRtx()) return 0;
        int entry = out.sent.newest();
        if (entry < 0) return 0;
        int n = rebuild(out, entry, now, true);
        if (n <= 0) return 0;
        stats.probePackets++;
        io.sendRtp(receiver, out, n, EndpointMedia.FIND_TRANSPORT_CC, now, stats);
        return n;
    }

    private boolean resend(EndpointMedia receiver, OutgoingStream out, int entry, long now) {
        int n = rebuild(out, entry, now, false);
        if (n <= 0) return false;
        io.sendRtp(receiver, out, n, EndpointMedia.FIND_TRANSPORT_CC, now, stats);
        return true;
    }

    /**
     * The packet of {@code entry} as it went out, in tx: as RTX when the receiver negotiated it for that codec, else
     * as it was (or not at all with {@code rtxOnly}: a probe must not look like a replay). @return its length, or -1
     */
    private int rebuild(OutgoingStream out, int entry, long now, boolean rtxOnly) {
        IncomingStream from = out.sent.input(entry);
        PacketCache cache = from == null ? null : from.cache;
        int slot = cache == null ? -1 : cache.find(out.sent.inSeq(entry), now);
        if (slot < 0) return -1;
        int len = cache.copy(slot, tx, 0);
        if (len < 0) return -1;
        int outPt = out.payloadTypes[RtpPacket.payloadType(tx, 0)];
        if (outPt < 0) return -1;
        out.rewriteHeader(tx, len, out.sent.outSeq(entry), out.sent.outTs(entry), outPt);
        // RTX only for a codec that has it on this m-line (the stream's codec may have changed since).
        boolean canRtx = out.rtxPayloadTypes[outPt] >= 0 && out.route.source.rtxOutSsrc() != 0;
        if (canRtx) return wrapRtx(out, len, outPt);
        return rtxOnly ? -1 : len;
    }

    /** RFC 4588 §4 in place: the original sequence number before the payload, RTX SSRC/pt/sequence, no padding. */
    private int wrapRtx(OutgoingStream out, int len, int outPt) {
        int header = RtpPacket.headerLength(tx, 0);
        int payload = len - header - RtpPacket.paddingLength(tx, 0, len);
        if (header + 2 + payload > tx.length) return -1;
        int originalSeq = RtpPacket.sequence(tx, 0);
        System.arraycopy(tx, header, tx, header + 2, payload);
        Bytes.putUint16(tx, header, originalSeq);
        tx[0] &= (byte) ~0x20;
        RtpPacket.setSsrc(tx, 0, (int) out.route.source.rtxOutSsrc());
        RtpPacket.setPayloadType(tx, 0, out.rtxPayloadTypes[outPt]);
        RtpPacket.setSequence(tx, 0, out.nextRtxSequence());
        return header + 2 + payload;
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
                    int m = sender.protectRtcp(tx, n + w, stats);
                    if (m > 0) io.send(m, sender.sendAddress);
                    stats.upstreamNacks++;
                }
            }
            if (loss.takeKeyFrameRequest()) keyFrames.request(in.route, in.layer, now);
        }
    }
}
