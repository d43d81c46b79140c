package org.conclave.sfu.forward;

import org.conclave.sfu.keyframe.KeyFrameBudget;
import org.conclave.sfu.bwe.LayerSelector;
import org.conclave.sfu.control.VideoQuality;
import org.conclave.sfu.rtp.HeaderExtensions;
import org.conclave.sfu.rtp.RtpPacket;
import org.conclave.sfu.rtp.SeqTsRewriter;

/**
 * One source as one receiver sees it: the receiver's payload type and header extension ids, the sequence and
 * timestamp rewriting that keeps the receiver's stream continuous, which simulcast layer it gets, and the cache that
 * answers its NACKs. Owned by the packet thread.
 */
final class OutgoingStream {
    final EndpointMedia receiver;
    final SourceRoute route;
    final int outSsrc;
    /** sender pt -> receiver pt, -1 where the receiver has no such codec. */
    final byte[] payloadTypes;
    /** receiver media pt -> receiver RTX pt, -1 without RTX for that codec. */
    final byte[] rtxPayloadTypes;
    /** sender extension id -> receiver extension id, 0 to blank the element out. */
    final byte[] extensionIds;
    /** The receiver's transport-wide-cc id on this m-line (the SFU stamps its own sequence there), 0 without. */
    final int transportCcId;
    final SeqTsRewriter rewriter;
    /** This receiver's share of key-frame requests for this source (a storm from one receiver is cut off). */
    final KeyFrameBudget keyFrameBudget;
    /** Which layer this receiver gets; null for single-layer sources. */
    final LayerSelector selector;
    /** What was sent, to answer this receiver's NACKs; null when it negotiated no NACK (or audio). */
    final SentLog sent;
    /** The receiver payload type of the last packet sent, -1 before any. */
    int lastOutPt = -1;
    private int rtxSequence;
    /** What the receiver asked for (its subscription); thumbnails unless it asked for more. */
    VideoQuality wanted = VideoQuality.THUMBNAIL;
    /** Rate control moved it to the thumbnail (its downlink is below the floor). */
    boolean demoted;
    /** Bandwidth rate control gives this stream at this receiver, bit/s; -1 unknown. */
    long budgetBps = -1;
    /** The middle 32 bits of the NTP time of the last sender report sent on this stream, and when it went out. */
    int lastSrCompactNtp;
    long lastSrSentNanos;
    long packetsSent;
    long bytesSent;
    /** Whether a packet has gone out yet: sender reports are translated only after the timestamp offset is set. */
    boolean started;
    /** The input SSRC of the last packet forwarded on this stream. */
    int lastInputSsrc;

    OutgoingStream(EndpointMedia receiver, SourceRoute route, byte[] payloadTypes, byte[] rtxPayloadTypes,
            byte[] extensionIds, int transportCcId, SeqTsRewriter rewriter, KeyFrameBudget keyFrameBudget,
            LayerSelector selector, SentLog sent) {
        this.receiver = receiver;
        this.route = route;
        this.outSsrc = (int) route.source.outSsrc();
        this.payloadTypes = payloadTypes;
        this.rtxPayloadTypes = rtxPayloadTypes;
        this.extensionIds = extensionIds;
        this.transportCcId = transportCcId;
        this.rewriter = rewriter;
        this.keyFrameBudget = keyFrameBudget;
        this.selector = selector;
        this.sent = sent;
        this.rtxSequence = outSsrc & 0x7FFF;
    }

    /**
     * Sends the decrypted packet in {@code rx} to this receiver, if its layer selector lets it through: copied into
     * the transmit buffer, sequence and timestamp continued across layer switches and sender restarts, header
     * rewritten for the receiver, logged for its NACKs, then stamped, encrypted and sent.
     */
    void forward(byte[] rx, int len, IncomingStream in, boolean keyFrameStart, int transportCcAt, long now,
            PacketIo io, WorkerStats stats) {
        EndpointMedia r = receiver;
        if (!r.canSend() || r.held) return;
        int outPt = payloadTypes[RtpPacket.payloadType(rx, 0)];
        if (outPt < 0) {
            stats.codecDrops++; // the receiver did not negotiate this codec
            return;
        }
        // A different input SSRC than this receiver last got (a layer switch, a sender restart): continue seamlessly.
        boolean switched = !started || lastInputSsrc != in.ssrc;
        if (selector != null) {
            int verdict = selector.onPacket(in.layer, keyFrameStart, now);
            if (verdict == LayerSelector.DROP) return;
            switched |= verdict == LayerSelector.SWITCH;
        }
        byte[] tx = io.tx();
        System.arraycopy(rx, 0, tx, 0, len);
        int seq = RtpPacket.sequence(tx, 0);
        long rewritten = rewriter.rewrite(seq, RtpPacket.timestamp(tx, 0), switched, now, route.source.clockRate());
        if (rewritten == SeqTsRewriter.REJECTED) {
            stats.rewriterDrops++;
            return;
        }
        started = true;
        lastInputSsrc = in.ssrc;
        int outSeq = SeqTsRewriter.outSeq(rewritten);
        long outTs = SeqTsRewriter.outTs(rewritten);
        rewriteHeader(tx, len, outSeq, outTs, outPt);
        lastOutPt = outPt;
        if (sent != null) sent.record(outSeq, in, seq, outTs, now);
        packetsSent++;
        bytesSent += len - RtpPacket.headerLength(tx, 0);
        io.sendRtp(r, this, len, transportCcAt, now, stats);
    }

    /** Rewrites a packet of the source's sender as this receiver gets it. */
    void rewriteHeader(byte[] b, int len, int outSeq, long outTs, int outPt) {
        RtpPacket.setSequence(b, 0, outSeq);
        RtpPacket.setTimestamp(b, 0, outTs);
        RtpPacket.setSsrc(b, 0, outSsrc);
        RtpPacket.setPayloadType(b, 0, outPt);
        HeaderExtensions.rewriteIds(b, 0, len, extensionIds);
    }

    /** Whether retransmissions of the codec last sent can go as RTX (negotiated for it, and the source has one). */
    boolean canRtx() {
        return lastOutPt >= 0 && rtxPayloadTypes[lastOutPt] >= 0 && route.source.rtxOutSsrc() != 0;
    }

    int nextRtxSequence() {
        int s = rtxSequence;
        rtxSequence = (rtxSequence + 1) & 0xFFFF;
        return s;
    }

    /** What the receiver gets now: full-res only if it asked and rate control has not demoted it. */
    VideoQuality effectiveQuality() {
        return wanted == VideoQuality.FULL_RES && !demoted ? VideoQuality.FULL_RES : VideoQuality.THUMBNAIL;
    }

    /** The layer to relay this receiver's key-frame requests to. */
    int layerForKeyFrames(long nowNanos) {
        if (selector == null) return 0;
        int current = selector.currentLayer();
        return current >= 0 ? current : Math.max(0, selector.targetLayer(nowNanos));
    }
}
