package org.conclave.sfu.sctp;

import java.util.ArrayList;
import java.util.List;
import org.conclave.sfu.sctp.chunk.DataChunk;
import org.conclave.sfu.sctp.chunk.ForwardTsnChunk;
import org.conclave.sfu.sctp.chunk.SackChunk;

/**
 * The sending half of the data path: queues messages, fills packets with retransmissions first and then new
 * fragments within the congestion and receive windows, applies SACKs, runs the T3-rtx timer and, with partial
 * reliability, abandons messages and asks for FORWARD-TSN (RFC 9260 §6–7, RFC 3758 §3.5).
 */
final class DataSender {
    /** User bytes queued or in flight but not yet acknowledged: {@code DataChannel.send} fails beyond this. */
    static final int MAX_BUFFERED_BYTES = 1 << 20;
    static final int MAX_QUEUED_MESSAGES = 8192;

    enum SackOutcome {
        /** Acknowledged data not acknowledged before: the peer is alive. */
        PROGRESS,
        /** Applied, nothing new acknowledged. */
        APPLIED,
        /** Older than a SACK already applied (reordered): ignored. */
        STALE,
        /** Acknowledges a TSN never sent: a protocol violation. */
        INVALID
    }

    final Timer t3 = new Timer();
    private final SendQueue queue;
    private final OutstandingData outstanding;
    private final CongestionControl congestion;
    private final RtoEstimator rto;
    private final List<OutgoingMessage> abandoned = new ArrayList<>();
    private long peerWindow;
    private long lastAdvertisedWindow;
    private boolean fastRetransmitPending;
    private boolean forwardTsnPending;
    private long forwardedPoint = Long.MIN_VALUE;
    private long forwardedAt;

    DataSender(int initialTsn, int streams, long peerWindow, int mtu, RtoEstimator rto) {
        this.queue = new SendQueue(streams);
        this.outstanding = new OutstandingData(initialTsn);
        this.congestion = new CongestionControl(mtu, peerWindow);
        this.rto = rto;
        this.peerWindow = peerWindow;
        this.lastAdvertisedWindow = peerWindow;
    }

    boolean hasRoom(int bytes) {
        return queue.queuedMessages() < MAX_QUEUED_MESSAGES && bufferedBytes() + bytes <= MAX_BUFFERED_BYTES;
    }

    long bufferedBytes() {
        return queue.queuedBytes() + outstanding.unackedPayload();
    }

    int outstandingChunks() {
        return outstanding.size();
    }

    int queuedMessages() {
        return queue.queuedMessages();
    }

    CongestionControl congestion() {
        return congestion;
    }

    void enqueue(OutgoingMessage m) {
        queue.add(m);
    }

    /** Nothing queued and nothing unacknowledged: the condition for SHUTDOWN (RFC 9260 §9.2). */
    boolean idle() {
        return queue.isEmpty() && outstanding.isEmpty();
    }

    boolean wantsToSend() {
        return !queue.isEmpty() || outstanding.hasRetransmissions();
    }

    boolean hasPending(int sid) {
        return queue.hasPending(sid);
    }

    void resetSsn(int sid) {
        queue.resetSsn(sid);
    }

    /** The TSN of the last DATA chunk sent (Sender's Last Assigned TSN of RFC 6525). */
    int lastAssignedTsn() {
        return (int) outstanding.highestSent();
    }

    /** Unwrapped cumulative ack the peer gave us, for tests. */
    long peerCumulativeAck() {
        return outstanding.cumulativeAck();
    }

    SackOutcome onSack(SackChunk sack, long now) {
        long cum = outstanding.unwrap(sack.cumulativeTsnAck());
        if (cum < outstanding.cumulativeAck()) return SackOutcome.STALE;
        if (cum >= outstanding.nextTsn()) return SackOutcome.INVALID;
        lastAdvertisedWindow = sack.aRwnd();
        return applyAck(cum, sack.gapStarts(), sack.gapEnds(), now) ? SackOutcome.PROGRESS : SackOutcome.APPLIED;
    }

    /** The cumulative TSN ack of a SHUTDOWN chunk. */
    SackOutcome onCumulativeAck(int tsn, long now) {
        return onSack(new SackChunk(tsn, lastAdvertisedWindow, new int[0], new int[0], new int[0]), now);
    }

    /** True if anything new was acknowledged. */
    private boolean applyAck(long cum, int[] gapStarts, int[] gapEnds, long now) {
        long flightBefore = outstanding.bytesInFlight();
        OutstandingData.AckResult r = outstanding.onSack(cum, gapStarts, gapEnds, now);
        if (r.rttNanos >= 0) rto.measured(r.rttNanos);
        peerWindow = Math.max(0, lastAdvertisedWindow - outstanding.bytesInFlight());
        if (r.newFastRetransmits > 0) {
            congestion.onFastRetransmit(outstanding.highestSent());
            fastRetransmitPending = true;
        }
        congestion.onAck(r.bytesAcked, r.cumulativeAdvanced, flightBefore, cum, outstanding.bytesInFlight());
        if (outstanding.isEmpty()) {
            t3.reset();
        } else if (r.cumulativeAdvanced) {
            t3.start(now, rto.rto()); // R3: the earliest outstanding TSN was acknowledged
            t3.expirations = 0;
        }
        // RFC 3758 C2/C3: the peer has not caught up. Re-send at most once per RTO, or a peer that never advances
        // would bounce SACK and FORWARD-TSN back and forth without pause.
        long point = outstanding.advancedPeerAckPoint();
        if (point > cum && (point > forwardedPoint || now - forwardedAt >= rto.rto())) forwardTsnPending = true;
        return r.bytesAcked > 0 || r.cumulativeAdvanced;
    }

    /** T3-rtx expired (RFC 9260 §6.3.3): back off, collapse cwnd, resend everything outstanding. */
    void onT3Expired(long now) {
        rto.backoff();
        congestion.onTimeout();
        fastRetransmitPending = false;
        outstanding.markAllForRetransmit();
        outstanding.abandonExpired(now, abandoned);
        discardAbandoned();
        if (outstanding.advancedPeerAckPoint() > outstanding.cumulativeAck()) forwardTsnPending = true;
        if (!outstanding.isEmpty()) t3.start(now, rto.rto());
    }

    /** The FORWARD-TSN to bundle now, or null. */
    ForwardTsnChunk takeForwardTsn(long now) {
        if (!forwardTsnPending) return null;
        forwardTsnPending = false;
        ForwardTsnChunk f = outstanding.forwardTsn();
        if (f != null) {
            forwardedPoint = outstanding.advancedPeerAckPoint();
            forwardedAt = now;
        }
        return f;
    }

    /** Adds DATA chunks to {@code packet} as the windows allow; true if any was added. */
    boolean fill(PacketBuilder packet, long now) {
        boolean any = false;
        OutstandingData.Sent s;
        while ((s = outstanding.nextRetransmission(now, abandoned)) != null) {
            boolean allowed = fastRetransmitPending || outstanding.bytesInFlight() < congestion.cwnd();
            if (!allowed || !packet.fits(s.chunk)) break;
            packet.add(s.chunk);
            boolean first = outstanding.isFirst(s);
            outstanding.retransmitted(s, now);
            if (first || !t3.running()) t3.start(now, rto.rto());
            any = true;
        }
        discardAbandoned();
        if (any || s == null) fastRetransmitPending = false; // one packet may ignore cwnd (RFC 9260 §7.2.4 step 3)
        if (outstanding.hasRetransmissions()) return any;
        while (outstanding.bytesInFlight() < congestion.cwnd()) {
            int room = packet.remaining() - DataChunk.HEADER_LENGTH;
            if (outstanding.anyInFlight()) room = (int) Math.min(room, peerWindow); // zero-window probe allowed
            if (room <= 0) break;
            SendQueue.Fragment f = queue.next(room, now);
            if (f == null) break;
            OutstandingData.Sent sent = outstanding.add(f.chunk(), f.message(), now);
            packet.add(sent.chunk);
            peerWindow = Math.max(0, peerWindow - sent.size());
            if (!t3.running()) t3.start(now, rto.rto());
            any = true;
        }
        return any;
    }

    private void discardAbandoned() {
        if (abandoned.isEmpty()) return;
        for (OutgoingMessage m : abandoned) queue.discardRest(m);
        abandoned.clear();
        forwardTsnPending = true;
    }
}
