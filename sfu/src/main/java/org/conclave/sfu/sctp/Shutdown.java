package org.conclave.sfu.sctp;

import org.conclave.sfu.sctp.SctpAssociation.State;
import org.conclave.sfu.sctp.chunk.Chunk;
import org.conclave.sfu.sctp.chunk.ShutdownAckChunk;
import org.conclave.sfu.sctp.chunk.ShutdownChunk;
import org.conclave.sfu.sctp.chunk.ShutdownCompleteChunk;

/**
 * The graceful close of RFC 9260 §9.2: SHUTDOWN once all our data is acknowledged, SHUTDOWN-ACK once the peer has
 * shut down and ours is acknowledged, and T2 retransmitting either until it is answered. The association keeps the
 * state; each method returns the state to be in next.
 */
final class Shutdown {
    private final Outbox control;
    private final Timer t2 = new Timer();

    Shutdown(Outbox control) {
        this.control = control;
    }

    long deadline() {
        return t2.deadline();
    }

    /** In SHUTDOWN-PENDING or SHUTDOWN-RECEIVED: the next step once nothing of ours is queued or unacknowledged. */
    State progress(State state, Tcb tcb, long now) {
        if (state == State.SHUTDOWN_PENDING && tcb.sender.idle()) {
            control.add(new ShutdownChunk(tcb.receiver.cumulativeTsn()));
            restart(tcb, now);
            return State.SHUTDOWN_SENT;
        }
        if (state == State.SHUTDOWN_RECEIVED && tcb.sender.idle()) return sendAck(tcb, now);
        return state;
    }

    /** The peer's SHUTDOWN (its cumulative ack already applied to {@code tcb}). */
    State onShutdown(State state, Tcb tcb, long now) {
        return switch (state) {
            case ESTABLISHED, SHUTDOWN_PENDING, SHUTDOWN_RECEIVED -> progress(State.SHUTDOWN_RECEIVED, tcb, now);
            case SHUTDOWN_SENT -> sendAck(tcb, now); // both sides shut down at once
            default -> state;
        };
    }

    /**
     * Runs T2 if due: retransmits SHUTDOWN or SHUTDOWN-ACK with a backed-off RTO; false when the peer is unreachable
     * (too many unanswered retransmissions).
     */
    boolean onTimer(State state, Tcb tcb, long now) {
        if (!t2.fire(now)) return true;
        tcb.rto.backoff();
        if (tcb.unanswered()) return false;
        if (state == State.SHUTDOWN_SENT) control.add(new ShutdownChunk(tcb.receiver.cumulativeTsn()));
        else if (state == State.SHUTDOWN_ACK_SENT) control.add(new ShutdownAckChunk());
        t2.start(now, tcb.rto.rto());
        return true;
    }

    /**
     * Whether {@code c} completes the close: a SHUTDOWN-ACK after our SHUTDOWN (answered here with SHUTDOWN-COMPLETE
     * to {@code peerTag}), or a SHUTDOWN-COMPLETE after our SHUTDOWN-ACK.
     */
    boolean completedBy(Chunk c, State state, int peerTag) {
        if (c instanceof ShutdownAckChunk && (state == State.SHUTDOWN_SENT || state == State.SHUTDOWN_ACK_SENT)) {
            control.sendAlone(peerTag, new ShutdownCompleteChunk(false));
            return true;
        }
        return c instanceof ShutdownCompleteChunk && state == State.SHUTDOWN_ACK_SENT;
    }

    void stop() {
        t2.reset();
    }

    private State sendAck(Tcb tcb, long now) {
        control.add(new ShutdownAckChunk());
        restart(tcb, now);
        return State.SHUTDOWN_ACK_SENT;
    }

    private void restart(Tcb tcb, long now) {
        t2.reset();
        t2.start(now, tcb.rto.rto());
    }
}
