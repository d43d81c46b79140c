package org.conclave.sfu.room;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.conclave.sfu.control.Role;

/**
 * What hosts do to other participants — mute one or every guest, spotlight, focus, disconnect — and the conference
 * state it leaves: guests muted, who is spotlighted, where the focus is. Callers have checked that the sender is a
 * host; what is checked here is the target's state. A muted participant is told who muted it; the SFU drops its audio.
 */
final class Moderation {
    static final String DEFAULT_DISCONNECT_REASON = "a host disconnected you";

    private final RoomMedia media;
    private final RoomOutbox outbox;
    /** Removes every trace of a participant from the room (its own state here included). */
    private final Consumer<Participant> forget;
    private final Set<String> spotlight = new LinkedHashSet<>();
    private boolean guestsMuted;
    private String focus;

    Moderation(RoomMedia media, RoomOutbox outbox, Consumer<Participant> forget) {
        this.media = media;
        this.outbox = outbox;
        this.forget = forget;
    }

    boolean guestsMuted() {
        return guestsMuted;
    }

    /** The participant hosts want everyone to look at; null means "follow the dominant speaker". */
    String focus() {
        return focus;
    }

    /** Spotlighted endpoints in the order hosts spotlighted them. */
    Set<String> spotlight() {
        return spotlight;
    }

    List<String> spotlightOrder() {
        return List.copyOf(spotlight);
    }

    /** A new participant: while guests are muted, a guest comes in muted. */
    void arrive(Participant p) {
        if (guestsMuted && p.role == Role.GUEST) {
            p.muted = true;
            media.setAudioForwarded(p.endpointId, false);
        }
    }

    void setMuted(Participant target, boolean muted, Participant by) {
        if (target.muted == muted) return;
        target.muted = muted;
        media.setAudioForwarded(target.endpointId, !muted);
        media.streamMetadataChanged(target.endpointId);
        if (target.waiting) return; // told when admitted
        outbox.send(target.endpointId, muted ? ServerMessages.pleaseMute(by.endpointId)
                : ServerMessages.mayUnmute(by.endpointId));
    }

    /** "Mute guests" mutes every guest now and every guest who joins until "unmute guests". */
    void setGuestsMuted(Collection<Participant> everyone, boolean muted, Participant by) {
        guestsMuted = muted;
        for (Participant g : everyone) {
            if (g.role == Role.GUEST) setMuted(g, muted, by);
        }
    }

    void spotlight(Participant target) {
        spotlight.add(admitted(target, "spotlight").endpointId);
    }

    void unspotlight(Participant target) {
        spotlight.remove(target.endpointId);
    }

    /** {@code target} null: back to following the dominant speaker. */
    void focusOn(Participant target) {
        focus = target == null ? null : admitted(target, "focus on").endpointId;
    }

    void disconnect(Participant target, String reason, Participant by) {
        String why = reason != null ? reason : DEFAULT_DISCONNECT_REASON;
        outbox.send(target.endpointId, ServerMessages.disconnected(why, by.endpointId));
        forget.accept(target);
        media.disconnect(target.endpointId, why);
    }

    /** Everyone but the host who asked. */
    void disconnectAll(Collection<Participant> everyone, String reason, Participant by) {
        for (Participant other : new ArrayList<>(everyone)) {
            if (other != by) disconnect(other, reason, by);
        }
    }

    /** The participant left: it is no longer spotlighted or in focus. */
    void remove(String endpointId) {
        spotlight.remove(endpointId);
        if (endpointId.equals(focus)) focus = null;
    }

    private static Participant admitted(Participant t, String action) {
        if (t.waiting) {
            throw new Refusal(ErrorCode.M_INVALID_PARAM, "cannot " + action + " " + t.endpointId
                    + ": still in the waiting room");
        }
        return t;
    }
}
