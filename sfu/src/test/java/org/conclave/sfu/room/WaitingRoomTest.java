package org.conclave.sfu.room;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.conclave.sfu.control.Role;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The waiting room alone: who waits, who is let in or turned away, and when the wait ends. */
class WaitingRoomTest {
    private static final long MINUTE = 60_000_000_000L;

    private final RecordingMedia media = new RecordingMedia();
    private final RecordingOutbox out = new RecordingOutbox();
    private final Map<String, Participant> everyone = new LinkedHashMap<>();
    private final List<String> entered = new ArrayList<>();
    /** What the SFU gives an endpoint to connect (ICE connect + DTLS handshake timeouts) before its wait counts. */
    private static final Duration CONNECT_GRACE = Duration.ofSeconds(20);
    private static final long GRACE = CONNECT_GRACE.toNanos();
    private final WaitingRoom lobby = new WaitingRoom(RoomOptions.DEFAULTS, CONNECT_GRACE, media, out,
            p -> entered.add(p.endpointId), p -> everyone.remove(p.endpointId));

    private Participant arrive(String id, Role role, long joinedAt) {
        Participant p = new Participant(id, "@" + id + ":example.org", role, joinedAt);
        everyone.put(id, p);
        lobby.arrive(p);
        return p;
    }

    @ParameterizedTest
    @CsvSource({"false, GUEST, false", "false, HOST, false", "true, HOST, false", "true, GUEST, true"})
    void onlyGuestsOfALockedConferenceWait(boolean locked, Role role, boolean waits) {
        if (locked) lobby.lock();
        Participant p = arrive("p", role, 0);
        assertThat(p.waiting).isEqualTo(waits);
        assertThat(entered).isEqualTo(waits ? List.of() : List.of("p"));
        assertThat(media.calls).isEqualTo(waits ? List.of("admitted p false") : List.of());
        assertThat(out.types("p")).isEqualTo(waits ? List.of("org.conclave.waiting_status") : List.of());
    }

    @Test
    void admitLetsInAndRefusesSomeoneNotWaiting() {
        lobby.lock();
        Participant g = arrive("g", Role.GUEST, 0);
        lobby.admit(g);
        assertThat(g.waiting).isFalse();
        assertThat(entered).containsExactly("g");
        assertThat(media.calls).containsExactly("admitted g false", "admitted g true");
        assertThat(out.last("g", "org.conclave.waiting_status").get("status").asText()).isEqualTo("admitted");
        assertThatThrownBy(() -> lobby.admit(g)).isInstanceOf(Refusal.class).hasMessage("cannot admit g: not waiting");
    }

    @Test
    void rejectTurnsAwayWithTheReasonOrADefault() {
        lobby.lock();
        arrive("a", Role.GUEST, 0);
        arrive("b", Role.GUEST, 0);
        lobby.reject(everyone.get("a"), "not today");
        lobby.reject(everyone.get("b"), null);
        assertThat(everyone).isEmpty();
        assertThat(entered).isEmpty();
        assertThat(media.calls).containsExactly("admitted a false", "admitted b false", "disconnect a not today",
                "disconnect b " + WaitingRoom.DEFAULT_REJECT_REASON);
        assertThat(out.last("b", "org.conclave.waiting_status").get("status").asText()).isEqualTo("rejected");
    }

    @Test
    void unlockLetsEveryoneInInArrivalOrder() {
        lobby.lock();
        arrive("g1", Role.GUEST, 0);
        arrive("h", Role.HOST, 0);
        arrive("g2", Role.GUEST, 0);
        lobby.unlock(everyone.values());
        assertThat(lobby.locked()).isFalse();
        assertThat(entered).containsExactly("h", "g1", "g2");
        assertThat(everyone.values()).noneMatch(p -> p.waiting);
    }

    @Test
    void theWaitEndsAtTheTimeoutOfEachWaiter() {
        lobby.lock();
        assertThat(lobby.nextDeadline(everyone.values())).isEqualTo(Long.MAX_VALUE);
        lobby.channelOpened(arrive("g1", Role.GUEST, 0), 0);
        lobby.channelOpened(arrive("g2", Role.GUEST, MINUTE), MINUTE);
        assertThat(lobby.nextDeadline(everyone.values())).isEqualTo(5 * MINUTE);
        lobby.expire(everyone.values(), 5 * MINUTE - 1);
        assertThat(everyone).containsOnlyKeys("g1", "g2");
        lobby.expire(everyone.values(), 5 * MINUTE);
        assertThat(everyone).containsOnlyKeys("g2");
        assertThat(media.calls).contains("disconnect g1 nobody let you in within 5 minutes");
        assertThat(out.last("g1", "org.conclave.waiting_status").get("status").asText()).isEqualTo("timed_out");
        assertThat(lobby.nextDeadline(everyone.values())).isEqualTo(6 * MINUTE);
    }

    /**
     * A guest whose connection took longer than the timeout (a slow network; a paused process) is not turned away
     * before it could hear that it waits: its wait counts from its channel opening. Counted from the join, it was
     * disconnected untold, with its "waiting" and "timed_out" still queued for a channel that never opened.
     */
    @Test
    void theWaitCountsFromTheChannelOpeningNotFromTheJoin() {
        lobby.lock();
        Participant late = arrive("late", Role.GUEST, 0);
        assertThat(lobby.nextDeadline(everyone.values())).isEqualTo(5 * MINUTE + GRACE);
        lobby.expire(everyone.values(), 5 * MINUTE + GRACE / 2);
        assertThat(everyone).containsKey("late");
        lobby.channelOpened(late, 5 * MINUTE + GRACE / 2);
        lobby.channelOpened(late, 6 * MINUTE); // only the first opening counts
        assertThat(lobby.nextDeadline(everyone.values())).isEqualTo(10 * MINUTE + GRACE / 2);
        lobby.expire(everyone.values(), 10 * MINUTE + GRACE / 2 - 1);
        assertThat(everyone).containsKey("late");
        lobby.expire(everyone.values(), 10 * MINUTE + GRACE / 2);
        assertThat(everyone).isEmpty();
        assertThat(out.types("late")).containsExactly("org.conclave.waiting_status", "org.conclave.waiting_status");
        assertThat(out.last("late", "org.conclave.waiting_status").get("status").asText()).isEqualTo("timed_out");
    }

    @Test
    void aWaiterWhoseChannelNeverOpensIsTurnedAwayAfterTheTimeoutAndTheConnectGrace() {
        lobby.lock();
        arrive("mute", Role.GUEST, 0);
        lobby.expire(everyone.values(), 5 * MINUTE + GRACE - 1);
        assertThat(everyone).containsKey("mute");
        lobby.expire(everyone.values(), 5 * MINUTE + GRACE);
        assertThat(everyone).isEmpty();
        assertThat(media.calls).contains("disconnect mute nobody let you in within 5 minutes");
    }

    @ParameterizedTest
    @CsvSource({"PT5M, 5 minutes", "PT1M, 1 minute", "PT90S, 90 seconds", "PT0.25S, 250 ms", "PT1S, 1 second", "PT1.5S, 1.5 seconds", "PT2S, 2 seconds"})
    void timeoutsAreToldInWords(Duration d, String words) {
        assertThat(WaitingRoom.describe(d)).isEqualTo(words);
    }
}
