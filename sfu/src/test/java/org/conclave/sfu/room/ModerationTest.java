package org.conclave.sfu.room;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import org.conclave.sfu.control.Role;
import org.junit.jupiter.api.Test;

/** Host actions alone: muting, spotlight and focus, disconnecting, and what a participant leaving undoes. */
class ModerationTest {
    private final RecordingMedia media = new RecordingMedia();
    private final RecordingOutbox out = new RecordingOutbox();
    private final Map<String, Participant> everyone = new LinkedHashMap<>();
    private final Moderation moderation = new Moderation(media, out, this::forget);
    private final Participant host = add("h", Role.HOST);

    /** What the room does for the moderation's forget: the participant is gone everywhere. */
    private void forget(Participant p) {
        everyone.remove(p.endpointId);
        moderation.remove(p.endpointId);
    }

    private Participant add(String id, Role role) {
        Participant p = new Participant(id, "@" + id + ":example.org", role, 0);
        everyone.put(id, p);
        return p;
    }

    @Test
    void muteTellsTheTargetOnceAndStopsItsAudio() {
        Participant g = add("g", Role.GUEST);
        moderation.setMuted(g, true, host);
        moderation.setMuted(g, true, host);
        moderation.setMuted(g, false, host);
        assertThat(media.calls).containsExactly("audio g false", "audio g true");
        assertThat(media.metadataChanges).containsExactly("g", "g");
        assertThat(out.types("g")).containsExactly("org.conclave.please_mute", "org.conclave.may_unmute");
    }

    @Test
    void aWaiterIsMutedSilentlyUntilAdmitted() {
        Participant w = add("w", Role.GUEST);
        w.waiting = true;
        moderation.setMuted(w, true, host);
        assertThat(w.muted).isTrue();
        assertThat(media.calls).containsExactly("audio w false");
        assertThat(out.sent).isEmpty();
    }

    @Test
    void muteGuestsCoversGuestsPresentAndArrivingButNotHosts() {
        Participant g1 = add("g1", Role.GUEST);
        moderation.setGuestsMuted(everyone.values(), true, host);
        Participant g2 = add("g2", Role.GUEST);
        Participant h2 = add("h2", Role.HOST);
        moderation.arrive(g2);
        moderation.arrive(h2);
        assertThat(moderation.guestsMuted()).isTrue();
        assertThat(g1.muted).isTrue();
        assertThat(g2.muted).isTrue();
        assertThat(h2.muted).isFalse();
        assertThat(host.muted).isFalse();
        moderation.setGuestsMuted(everyone.values(), false, host);
        assertThat(everyone.values()).noneMatch(p -> p.muted);
    }

    @Test
    void spotlightAndFocusNeedAnAdmittedTargetAndEndWhenItLeaves() {
        Participant a = add("a", Role.GUEST);
        Participant b = add("b", Role.GUEST);
        Participant w = add("w", Role.GUEST);
        w.waiting = true;
        moderation.spotlight(b);
        moderation.spotlight(a);
        moderation.focusOn(a);
        assertThat(moderation.spotlightOrder()).containsExactly("b", "a");
        assertThat(moderation.focus()).isEqualTo("a");
        assertThatThrownBy(() -> moderation.spotlight(w)).isInstanceOf(Refusal.class)
                .hasMessage("cannot spotlight w: still in the waiting room");
        assertThatThrownBy(() -> moderation.focusOn(w)).isInstanceOf(Refusal.class)
                .hasMessage("cannot focus on w: still in the waiting room");
        moderation.unspotlight(b);
        moderation.remove("a");
        assertThat(moderation.spotlightOrder()).isEmpty();
        assertThat(moderation.focus()).isNull();
        moderation.focusOn(b);
        moderation.focusOn(null);
        assertThat(moderation.focus()).isNull();
    }

    @Test
    void disconnectAllSparesTheHostWhoAsked() {
        add("a", Role.GUEST);
        Participant b = add("b", Role.HOST);
        moderation.spotlight(b);
        moderation.disconnectAll(everyone.values(), null, host);
        assertThat(everyone).containsOnlyKeys("h");
        assertThat(moderation.spotlightOrder()).isEmpty();
        assertThat(media.calls).containsExactly("disconnect a " + Moderation.DEFAULT_DISCONNECT_REASON,
                "disconnect b " + Moderation.DEFAULT_DISCONNECT_REASON);
        assertThat(out.last("a", "org.conclave.disconnected").get("reason").asText())
                .isEqualTo(Moderation.DEFAULT_DISCONNECT_REASON);
    }
}
