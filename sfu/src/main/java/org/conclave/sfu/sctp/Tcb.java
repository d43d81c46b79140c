package org.conclave.sfu.sctp;

import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import org.conclave.sfu.sctp.chunk.Chunk;
import org.conclave.sfu.sctp.chunk.CookieAckChunk;
import org.conclave.sfu.sctp.chunk.DataChunk;
import org.conclave.sfu.sctp.chunk.ErrorCause;
import org.conclave.sfu.sctp.chunk.ForwardTsnChunk;
import org.conclave.sfu.sctp.chunk.HeartbeatChunk;
import org.conclave.sfu.sctp.chunk.ReConfigChunk;
import org.conclave.sfu.sctp.chunk.SackChunk;
import org.conclave.sfu.sctp.chunk.SctpPacket;
import org.conclave.sfu.sctp.dcep.Ppid;

/**
 * The Transmission Control Block of RFC 9260 §14 once the peer's INIT (or INIT-ACK, or cookie) is known: the stream
 * counts both sides agreed on, the peer's extensions, the RTO, path heartbeats, the count of unanswered
 * retransmissions (Association.Max.Retrans), and the data machinery built from them. It exists from the moment the
 * association has a peer until it ends; before that the association has none. Which chunks reach it, and when, is
 * the association's state machine; what they do to the data path is decided here.
 */
final class Tcb {
    /** Association.Max.Retrans of RFC 9260 §16: consecutive unanswered retransmissions before giving up. */
    static final int MAX_ASSOCIATION_RETRANSMITS = 10;

    /** Why the association must end: the cause the peer is told in an ABORT, and the reason our listener is given. */
    record Failure(ErrorCause cause, String reason) {
    }

    final int outboundStreams;
    final int inboundStreams;
    /** Without FORWARD-TSN nothing may be abandoned (RFC 3758 §3.3). */
    final boolean peerForwardTsn;
    final boolean peerReconfig;
    final RtoEstimator rto = new RtoEstimator();
    final DataSender sender;
    final DataReceiver receiver;
    final StreamResetter resets;
    private final Heartbeat heartbeat;
    private final SctpSettings settings;
    private int errorCount;

    /** {@code peer}: the peer's parameters, from its cookie or (for our INIT) its INIT-ACK. */
    Tcb(StateCookie peer, SctpSettings settings, Channels channels, RandomGenerator random) {
        this.settings = settings;
        outboundStreams = Math.min(SctpAssociation.MAX_STREAMS, peer.peerInboundStreams());
        inboundStreams = Math.min(SctpAssociation.MAX_STREAMS, peer.peerOutboundStreams());
        peerForwardTsn = peer.peerForwardTsn();
        peerReconfig = peer.peerReconfig();
        heartbeat = new Heartbeat(random);
        sender = new DataSender(peer.myInitialTsn(), outboundStreams, peer.peerRwnd(), settings.mtu(), rto);
        receiver = new DataReceiver(peer.peerInitialTsn(), inboundStreams, settings.maxReceiveMessageSize(),
                channels::onMessage);
        resets = new StreamResetter(peer.myInitialTsn(), peer.peerInitialTsn(), sender, receiver, channels,
                inboundStreams, outboundStreams);
    }

    // ---------------------------------------------------------------- sending

    boolean canSendOn(int sid) {
        return sid < outboundStreams;
    }

    /** DCEP messages bypass the send-buffer limit: at most one OPEN or ACK per channel. */
    void sendDcep(int sid, byte[] message) {
        sender.enqueue(new OutgoingMessage(sid, Ppid.DCEP, message, false, OutgoingMessage.UNLIMITED, Long.MAX_VALUE));
    }

    /** Queues a user message; false when the stream, the size or the send buffer does not allow it. */
    boolean sendUser(int sid, int ppid, byte[] data, boolean unordered, int maxRetransmits, long lifetimeMillis,
                     long now) {
        if (!canSendOn(sid) || data.length > settings.maxSendMessageSize() || !sender.hasRoom(data.length)) {
            return false;
        }
        long expiresAt = lifetimeMillis >= 0 ? now + TimeUnit.MILLISECONDS.toNanos(lifetimeMillis) : Long.MAX_VALUE;
        if (!peerForwardTsn) {
            maxRetransmits = OutgoingMessage.UNLIMITED;
            expiresAt = Long.MAX_VALUE;
        }
        sender.enqueue(new OutgoingMessage(sid, ppid, data, unordered, maxRetransmits, expiresAt));
        return true;
    }

    /** Asks for an outgoing stream reset; false when the peer cannot do RE-CONFIG (nothing to wait for then). */
    boolean resetOutgoing(int sid) {
        if (!peerReconfig) return false;
        resets.request(sid);
        return true;
    }

    /**
     * Queues the control chunks the data machinery wants sent now: a new stream-reset request (when sending is
     * allowed), a SACK (due, or bundled with data we are about to send), a FORWARD-TSN for abandoned data.
     */
    void queueControl(ArrayDeque<Chunk> control, boolean sendingAllowed, long now) {
        if (sendingAllowed) {
            ReConfigChunk req = resets.newRequest(now, rto.rto());
            if (req != null) control.add(req);
        }
        if (receiver.sackDue(now) || receiver.hasUnacked() && sender.wantsToSend()) {
            Chunk cookieAck = control.peekFirst() instanceof CookieAckChunk ? control.pollFirst() : null;
            control.addFirst(receiver.takeSack());
            if (cookieAck != null) control.addFirst(cookieAck); // COOKIE-ACK must lead its packet (§5.1 E)
        }
        ForwardTsnChunk f = sender.takeForwardTsn(now);
        if (f != null) control.add(f);
    }

    /** After a flush with data allowed: data in flight proves the path, so the heartbeat waits. */
    void flushed(long now) {
        if (sender.t3.running()) heartbeat.idleFrom(now);
    }

    // ---------------------------------------------------------------- receiving

    /** The association is up: heartbeats start. */
    void established(long now) {
        heartbeat.idleFrom(now);
    }

    /** One DATA chunk; a failure if the association must end. */
    Failure onData(DataChunk d, Outbox control) {
        if (d.payload().length == 0) return new Failure(ErrorCause.noUserData(d.tsn()), "DATA without user data");
        switch (receiver.onData(d)) {
            case INVALID_STREAM -> control.report(ErrorCause.invalidStream(d.streamId()));
            case TOO_LARGE -> {
                return new Failure(ErrorCause.protocolViolation("message larger than max-message-size"),
                        "peer sent a message larger than " + settings.maxReceiveMessageSize() + " bytes");
            }
            default -> { }
        }
        return null;
    }

    /** A SACK; a failure if it acknowledges what we never sent. */
    Failure onSack(SackChunk s, long now) {
        DataSender.SackOutcome outcome = sender.onSack(s, now);
        if (outcome == DataSender.SackOutcome.INVALID) {
            return new Failure(ErrorCause.protocolViolation("SACK acknowledges a TSN never sent"),
                    "SACK for unsent data");
        }
        if (outcome == DataSender.SackOutcome.PROGRESS) errorCount = 0;
        return null;
    }

    /** The cumulative TSN ack of a SHUTDOWN; a failure if it acknowledges what we never sent. */
    Failure onCumulativeAck(int cumulativeTsnAck, long now) {
        if (sender.onCumulativeAck(cumulativeTsnAck, now) != DataSender.SackOutcome.INVALID) return null;
        return new Failure(ErrorCause.protocolViolation("SHUTDOWN acknowledges a TSN never sent"), "bad SHUTDOWN");
    }

    /** A HEARTBEAT is echoed as is (§8.3) if the echo fits; a HEARTBEAT-ACK for ours gives an RTT sample. */
    void onHeartbeat(HeartbeatChunk hb, Outbox control, long now) {
        if (!hb.ack()) {
            boolean fits = hb.length() <= settings.mtu() - SctpPacket.HEADER_LENGTH;
            if (fits) control.add(new HeartbeatChunk(true, hb.info()));
            return;
        }
        long rtt = heartbeat.onAck(hb.info(), now);
        if (rtt < 0) return;
        rto.measured(rtt);
        errorCount = 0;
    }

    void onReConfig(ReConfigChunk r, Outbox control, long now) {
        control.addAll(resets.onReConfig(r, now, rto.rto()));
        if (resets.takeProgress()) errorCount = 0;
    }

    // ---------------------------------------------------------------- timers

    /** The earliest of the data timers (T3, delayed SACK, RE-CONFIG retransmission) and the heartbeat's. */
    long nextTimeout() {
        long t = Math.min(sender.t3.deadline(), Math.min(receiver.sackDeadline(), resets.timer.deadline()));
        return Math.min(t, Math.min(heartbeat.next.deadline(), heartbeat.ackWait.deadline()));
    }

    /**
     * Runs T3-rtx and the heartbeat timers if due ({@code established}: a heartbeat may be sent); false when the
     * peer is unreachable (too many unanswered retransmissions).
     */
    boolean onDataTimers(long now, boolean established, Outbox control) {
        if (sender.t3.fire(now)) {
            sender.onT3Expired(now);
            if (unanswered()) return false;
        }
        if (heartbeat.ackWait.fire(now)) {
            rto.backoff();
            if (unanswered()) return false;
            heartbeat.next.start(now, 0); // try again at once
        }
        if (heartbeat.next.fire(now) && established) {
            if (sender.t3.running()) { // data in flight proves the path already
                heartbeat.idleFrom(now);
            } else {
                control.add(heartbeat.send(now, rto.rto()));
            }
        }
        return true;
    }

    /** Runs the RE-CONFIG retransmission timer if due; false when the peer is unreachable. */
    boolean onResetTimer(long now, Outbox control) {
        if (!resets.timer.fire(now)) return true;
        if (unanswered()) return false;
        ReConfigChunk again = resets.retransmission(now, rto.rto());
        if (again != null) control.add(again);
        return true;
    }

    /** One more unanswered retransmission; true if that was too many. */
    boolean unanswered() {
        return ++errorCount > MAX_ASSOCIATION_RETRANSMITS;
    }

    void stopTimers() {
        sender.t3.reset();
        resets.timer.reset();
        heartbeat.stop();
    }
}
