package org.conclave.sfu.room;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.function.Consumer;
import org.conclave.sfu.control.Role;

/**
 * The waiting room: while the conference is locked, a guest who joins waits — no media either way, only ping/pong,
 * seen by hosts in the roster — until a host admits or rejects it, the conference is unlocked, or nobody lets it in
 * within {@link RoomOptions#waitingTimeout}. Each waiter is told in words where it stands.
 *
 * <p>The wait counts from when the waiter can hear that it waits: when its control data channel opens (what the room
 * said before waits for it). A waiter whose channel has not opened yet is still connecting; it is turned away (untold:
 * there is nothing to tell it on) only after the timeout plus {@code connectGrace}, the time the SFU lets an endpoint
 * take to connect. Counting from the join instead turned away, without a word, a guest whose connection took longer
 * than the timeout (a slow network, or a paused process).
 */
final class WaitingRoom {
    static final String DEFAULT_REJECT_REASON = "a host declined to let you in";

    private final RoomOptions options;
    private final long connectGraceNanos;
    private final RoomMedia media;
    private final RoomOutbox outbox;
    /** An admitted participant starts getting the roster and conference events. */
    private final Consumer<Participant> enter;
    /** Removes every trace of a participant from the room (the media path is told here). */
    private final Consumer<Participant> forget;
    private boolean locked;

    WaitingRoom(RoomOptions options, Duration connectGrace, RoomMedia media, RoomOutbox outbox,
            Consumer<Participant> enter, Consumer<Participant> forget) {
        this.options = options;
        this.connectGraceNanos = connectGrace.toNanos();
        this.media = media;
        this.outbox = outbox;
        this.enter = enter;
        this.forget = forget;
    }

    boolean locked() {
        return locked;
    }

    void lock() {
        locked = true;
    }

    /** Unlocking lets everyone waiting in, in the order they came. */
    void unlock(Collection<Participant> everyone) {
        locked = false;
        for (Participant w : new ArrayList<>(everyone)) {
            if (w.waiting) letIn(w);
        }
    }

    /** A new participant: hosts always enter; guests wait while the conference is locked. */
    void arrive(Participant p) {
        p.waiting = locked && p.role == Role.GUEST;
        if (p.waiting) {
            media.setAdmitted(p.endpointId, false);
            outbox.send(p.endpointId, ServerMessages.waitingStatus("waiting",
                    "the conference is locked; a host can let you in"));
        } else {
            enter.accept(p);
        }
    }

    /** A host lets {@code target} in. */
    void admit(Participant target) {
        letIn(waiting(target, "admit"));
    }

    /** A host turns {@code target} away; {@code reason} (or a default) is what it is told. */
    void reject(Participant target, String reason) {
        turnAway(waiting(target, "reject"), "rejected", reason != null ? reason : DEFAULT_REJECT_REASON);
    }

    /** The participant's control channel opened at {@code now}: a waiter's wait counts from here. Once. */
    void channelOpened(Participant p, long now) {
        if (p.channelOpen) return;
        p.channelOpen = true;
        p.channelOpenedAtNanos = now;
    }

    /** Turns away whoever has waited {@link RoomOptions#waitingTimeout} or longer at {@code now}. */
    void expire(Collection<Participant> everyone, long now) {
        for (Participant p : new ArrayList<>(everyone)) {
            if (p.waiting && now - deadline(p) >= 0) {
                turnAway(p, "timed_out", "nobody let you in within " + describe(options.waitingTimeout()));
            }
        }
    }

    /** The next waiting-room timeout (nanoTime), or Long.MAX_VALUE when nobody waits. */
    long nextDeadline(Collection<Participant> everyone) {
        long next = Long.MAX_VALUE;
        for (Participant p : everyone) {
            if (p.waiting) next = Math.min(next, deadline(p));
        }
        return next;
    }

    private long deadline(Participant p) {
        long timeout = options.waitingTimeout().toNanos();
        return p.channelOpen ? p.channelOpenedAtNanos + timeout : p.joinedAtNanos + connectGraceNanos + timeout;
    }

    private void letIn(Participant w) {
        w.waiting = false;
        media.setAdmitted(w.endpointId, true);
        outbox.send(w.endpointId, ServerMessages.waitingStatus("admitted", null));
        enter.accept(w);
    }

    private void turnAway(Participant w, String status, String reason) {
        outbox.send(w.endpointId, ServerMessages.waitingStatus(status, reason));
        forget.accept(w);
        media.refuse(w.endpointId, reason);
    }

    private static Participant waiting(Participant t, String action) {
        if (!t.waiting) {
            throw new Refusal(ErrorCode.M_INVALID_PARAM, "cannot " + action + " " + t.endpointId + ": not waiting");
        }
        return t;
    }

    static String describe(Duration d) {
        long s = d.toSeconds();
        if (s >= 60 && s % 60 == 0) return (s / 60) + (s == 60 ? " minute" : " minutes");
        long ms = d.toMillis();
        if (ms < 1000) return ms + " ms";
        if (ms % 1000 == 0) return s + (s == 1 ? " second" : " seconds");
        return String.format(java.util.Locale.ROOT, "%.1f seconds", ms / 1000.0);
    }
}
