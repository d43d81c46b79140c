package org.conclave.sfu.forward;

import org.conclave.sfu.rtcp.Fir;
import org.conclave.sfu.rtcp.ReceiverReport;
import org.conclave.sfu.rtcp.RtcpCompound;
import org.conclave.sfu.rtcp.RtcpFeedback;
import org.conclave.sfu.rtcp.SenderReport;

/**
 * The SFU terminates RTCP: a sender's reports are translated per receiver (only the sender info goes on), report
 * blocks give round-trip times, PLI/FIR go to the {@link KeyFrameRelay}, NACKs to {@link LossRepair}, REMB and
 * transport-cc to the receiver's downlink estimate; the rest ends here. It also writes the SFU's own receiver reports
 * to senders. Packet thread only; no allocation.
 */
final class RtcpTermination {
    /** Report blocks one receiver report carries at most (RFC 3550: 5 bits). */
    static final int MAX_REPORT_BLOCKS = 31;
    /** Each sender gets a receiver report about its streams this often. */
    static final long RECEIVER_REPORT_INTERVAL_NS = 1_000_000_000L;

    private final PacketIo io;
    private final byte[] tx;
    private final WorkerStats stats;
    private final RateControl rateControl;
    private final LossRepair lossRepair;
    private final KeyFrameRelay keyFrames;
    private final RtcpCompound rtcp = new RtcpCompound();

    RtcpTermination(PacketIo io, WorkerStats stats, RateControl rateControl, LossRepair lossRepair,
            KeyFrameRelay keyFrames) {
        this.io = io;
        this.tx = io.tx();
        this.stats = stats;
        this.rateControl = rateControl;
        this.lossRepair = lossRepair;
        this.keyFrames = keyFrames;
    }

    /** An SRTCP compound from {@code ep} (keys installed) in {@code rx}. */
    void onRtcp(EndpointMedia ep, byte[] rx, int len, long now) {
        int n = ep.srtp.unprotectRtcp(rx, 0, len);
        if (n < 0) {
            ep.srtpErrors++;
            return;
        }
        if (rtcp.reset(rx, 0, n) < 0 && rtcp.validPackets() == 0) {
            ep.malformedDrops++;
            return;
        }
        ep.rtcpReceived++;
        while (rtcp.next()) {
            int off = rtcp.offset();
            int end = off + rtcp.length();
            switch (rtcp.kind()) {
                case SENDER_REPORT -> {
                    onSenderReport(ep, rx, off, now);
                    rateControl.onReportBlocks(ep, rx, off + SenderReport.HEADER_LENGTH,
                            ReceiverReport.reportBlockCount(rx, off), end, now);
                }
                case RECEIVER_REPORT -> rateControl.onReportBlocks(ep, rx, off + ReceiverReport.HEADER_LENGTH,
                        ReceiverReport.reportBlockCount(rx, off), end, now);
                case PLI -> keyFrames.relay(ep.outgoingBySsrc(RtcpFeedback.mediaSsrc(rx, off)), now);
                case FIR -> {
                    int entries = Fir.entryCount(rx, off, rtcp.length());
                    for (int i = 0; i < entries; i++) {
                        keyFrames.relay(ep.outgoingBySsrc(Fir.targetSsrc(rx, off, i)), now);
                    }
                }
                case NACK -> lossRepair.onNack(ep, rx, off, rtcp.length(), now);
                case REMB, TRANSPORT_CC -> {
                    if (ep.downlink.onRtcp(rtcp.kind(), rx, off, rtcp.length(), now)) stats.feedbackUsed++;
                }
                default -> {
                    // Receiver reports' other parts, SDES, BYE and the rest end here.
                }
            }
        }
    }

    /** A sender's report goes on to each receiver of that stream, in the receiver's SSRC and timestamp space. */
    private void onSenderReport(EndpointMedia sender, byte[] rx, int off, long now) {
        IncomingStream in = sender.incoming(SenderReport.senderSsrc(rx, off));
        if (in == null) return;
        long ntp = SenderReport.ntpTimestamp(rx, off);
        long rtpTs = SenderReport.rtpTimestamp(rx, off);
        in.stats.onSenderReport(ntp, now);
        translateSenderReport(in.route, ntp, rtpTs, now);
        for (PipeOut pipe : in.route.pipes) pipe.sendSenderReport(ntp, rtpTs);
    }

    /** A sender's report for each local receiver of {@code route} (a mirror's too). */
    void translateSenderReport(SourceRoute route, long ntp, long rtpTs, long now) {
        for (OutgoingStream out : route.subscribers) {
            EndpointMedia r = out.receiver;
            if (r.srtp == null || r.sendAddress == null || !out.started) continue;
            // Only the sender info goes on: report blocks describe the sender's reception from us, not the receiver's.
            int n = SenderReport.write(tx, 0, out.outSsrc, ntp, (rtpTs + out.rewriter.timestampOffset()) & 0xFFFFFFFFL,
                    out.packetsSent, out.bytesSent, null, 0, now);
            out.lastSrCompactNtp = (int) (ntp >>> 16);
            out.lastSrSentNanos = now;
            int m = r.protectRtcp(tx, n, stats);
            if (m > 0) io.send(m, r.sendAddress);
        }
    }

    /** The SFU's receiver report to a sender about every stream it sends, once per interval. */
    void maybeSendReceiverReport(EndpointMedia ep, long now) {
        if (ep.srtp == null || ep.sendAddress == null || ep.incoming.length == 0
                || now - ep.lastReceiverReportNanos < RECEIVER_REPORT_INTERVAL_NS) {
            return;
        }
        ep.lastReceiverReportNanos = now;
        int blocks = Math.min(ep.incoming.length, MAX_REPORT_BLOCKS);
        int n = ReceiverReport.writeHeader(tx, 0, ep.rtcpSsrc, blocks);
        for (int i = 0; i < blocks; i++) n += ep.incoming[i].stats.writeReportBlock(tx, n, now);
        int m = ep.protectRtcp(tx, n, stats);
        if (m > 0) io.send(m, ep.sendAddress);
    }
}
