package org.conclave.sfu.sctp;

import java.util.ArrayDeque;
import org.conclave.sfu.sctp.chunk.Chunk;
import org.conclave.sfu.sctp.chunk.CookieAckChunk;
import org.conclave.sfu.sctp.chunk.ForwardTsnChunk;
import org.conclave.sfu.sctp.chunk.ReConfigChunk;

/**
 * The Transmission Control Block of RFC 9260 §14 once the peer's INIT (or INIT-ACK, or cookie) is known: the stream
 * counts both sides agreed on, the peer's extensions, and the data machinery built from them. It exists from the
 * moment the association has a peer until it ends; before that the association has none.
 */
final class Tcb {
    final int outboundStreams;
    final int inboundStreams;
    /** Without FORWARD-TSN nothing may be abandoned (RFC 3758 §3.3). */
    final boolean peerForwardTsn;
    final boolean peerReconfig;
    final DataSender sender;
    final DataReceiver receiver;
    final StreamResetter resets;

    Tcb(int myInitialTsn, int peerInitialTsn, long peerRwnd, int peerOutbound, int peerInbound, boolean forwardTsn,
        boolean reconfig, SctpSettings settings, RtoEstimator rto, Channels channels) {
        outboundStreams = Math.min(SctpAssociation.MAX_STREAMS, peerInbound);
        inboundStreams = Math.min(SctpAssociation.MAX_STREAMS, peerOutbound);
        peerForwardTsn = forwardTsn;
        peerReconfig = reconfig;
        sender = new DataSender(myInitialTsn, outboundStreams, peerRwnd, settings.mtu(), rto);
        receiver = new DataReceiver(peerInitialTsn, inboundStreams, settings.maxReceiveMessageSize(),
                channels::onMessage);
        resets = new StreamResetter(myInitialTsn, peerInitialTsn, sender, receiver, channels, inboundStreams,
                outboundStreams);
    }

    /** The earliest of the data timers (T3, delayed SACK, RE-CONFIG retransmission). */
    long nextTimeout() {
        return Math.min(sender.t3.deadline(), Math.min(receiver.sackDeadline(), resets.timer.deadline()));
    }

    /**
     * Queues the control chunks the data machinery wants sent now: a new stream-reset request (when sending is
     * allowed), a SACK (due, or bundled with data we are about to send), a FORWARD-TSN for abandoned data.
     */
    void queueControl(ArrayDeque<Chunk> control, boolean sendingAllowed, long now, long rtoNanos) {
        if (sendingAllowed) {
            ReConfigChunk req = resets.newRequest(now, rtoNanos);
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

    void stopTimers() {
        sender.t3.reset();
        resets.timer.reset();
    }
}
