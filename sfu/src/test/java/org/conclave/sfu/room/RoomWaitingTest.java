package org.conclave.sfu.room;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.conclave.sfu.control.Role;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Lock, waiting room, admit, reject, unlock, timeout. */
class RoomWaitingTest extends RoomFixture {

    @BeforeEach
    void setUp() {
        room.join("host", "@host:example.org", Role.HOST);
        send("host", "org.conclave.lock");
        clear();
    }

    @Test
    void unlockedRoomAdmitsGuestsWithAWelcome() {
        send("host", "org.conclave.unlock");
        assertThat(room.join("g", "@g:example.org", Role.GUEST)).isEqualTo(JoinResult.ADMITTED);
        assertThat(media.calls).doesNotContain("admitted g false");
        assertThat(out.types("g")).startsWith("org.conclave.welcome", "org.conclave.room_state", "org.conclave.roster");
        assertThat(out.last("g", "org.conclave.welcome").get("role").asText()).isEqualTo("guest");
    }

    @Test
    void lockedRoomHoldsGuestsButNotHosts() {
        assertThat(room.join("g", "@g:example.org", Role.GUEST)).isEqualTo(JoinResult.WAITING);
        assertThat(room.join("h2", "@h2:example.org", Role.HOST)).isEqualTo(JoinResult.ADMITTED);
        assertThat(media.calls).containsExactly("admitted g false");
        assertThat(out.types("g")).containsExactly("org.conclave.waiting_status");
        assertThat(out.last("g", "org.conclave.waiting_status").get("status").asText()).isEqualTo("waiting");
        assertThat(entry("g").waiting()).isTrue();
    }

    @Test
    void waitingGuestMayOnlyPing() {
        room.join("g", "@g:example.org", Role.GUEST);
        send("g", "org.conclave.raise_hand");
        JsonNode e = out.last("g", "org.conclave.error");
        assertThat(e.get("errcode").asText()).isEqualTo("M_FORBIDDEN");
        assertThat(e.get("error").asText()).contains("waiting").contains("raise_hand");
        assertThat(room.handQueue()).isEmpty();
        send("g", "m.call.ping", "{\"n\":1}");
        assertThat(out.last("g", "m.call.pong").get("n").asInt()).isEqualTo(1);
    }

    @Test
    void waitersAreShownToHostsOnly() {
        room.join("g0", "@g0:example.org", Role.HOST);
        send("host", "org.conclave.unlock");
        room.join("g1", "@g1:example.org", Role.GUEST);
        send("host", "org.conclave.lock");
        out.clear();
        room.join("w", "@w:example.org", Role.GUEST);
        assertThat(out.last("host", "org.conclave.roster").get("changed").get(0).get("waiting").asBoolean()).isTrue();
        assertThat(out.to("g1", "org.conclave.roster")).isEmpty();
    }

    @Test
    void admitLetsTheWaiterIn() {
        room.join("g", "@g:example.org", Role.GUEST);
        out.clear();
        send("host", "org.conclave.admit", "{\"endpoint_id\":\"g\"}");
        assertThat(media.calls).containsExactly("admitted g false", "admitted g true");
        assertThat(out.types("g")).startsWith("org.conclave.waiting_status", "org.conclave.welcome",
                "org.conclave.room_state", "org.conclave.roster");
        assertThat(out.to("g", "org.conclave.waiting_status").get(0).get("status").asText()).isEqualTo("admitted");
        assertThat(entry("g").waiting()).isFalse();
        send("g", "org.conclave.raise_hand");
        assertThat(room.handQueue()).containsExactly("g");
    }

    @Test
    void rejectDisconnectsTheWaiterWithTheReason() {
        room.join("g", "@g:example.org", Role.GUEST);
        send("host", "org.conclave.reject", "{\"endpoint_id\":\"g\",\"reason\":\"not today\"}");
        JsonNode status = out.last("g", "org.conclave.waiting_status");
        assertThat(status.get("status").asText()).isEqualTo("rejected");
        assertThat(status.get("reason").asText()).isEqualTo("not today");
        assertThat(media.calls).containsExactly("admitted g false", "disconnect g not today");
        assertThat(room.roster()).extracting(RosterEntry::id).containsExactly("host");
        assertThat(out.last("host", "org.conclave.roster").get("removed").get(0).asText()).isEqualTo("g");
    }

    @Test
    void unlockAdmitsEveryoneWaiting() {
        room.join("g1", "@g1:example.org", Role.GUEST);
        room.join("g2", "@g2:example.org", Role.GUEST);
        send("host", "org.conclave.unlock");
        assertThat(media.calls).containsExactly("admitted g1 false", "admitted g2 false", "admitted g1 true",
                "admitted g2 true");
        assertThat(room.roster()).noneMatch(RosterEntry::waiting);
        assertThat(out.last("host", "org.conclave.room_state").get("locked").asBoolean()).isFalse();
    }

    @Test
    void waitingTimesOutAfterTheOption() {
        room.join("g1", "@g1:example.org", Role.GUEST);
        clock.advanceMillis(60_000);
        room.join("g2", "@g2:example.org", Role.GUEST);
        assertThat(room.nextDeadlineNanos() - clock.nanoTime()).isEqualTo(4 * 60_000_000_000L);
        clock.advanceMillis(4 * 60_000 - 1);
        room.tick();
        assertThat(media.calls).noneMatch(c -> c.startsWith("disconnect"));
        clock.advanceMillis(1);
        room.tick();
        assertThat(media.calls).contains("disconnect g1 nobody let you in within 5 minutes");
        assertThat(media.calls).noneMatch(c -> c.startsWith("disconnect g2"));
        assertThat(out.last("g1", "org.conclave.waiting_status").get("status").asText()).isEqualTo("timed_out");
        clock.advanceMillis(60_000);
        room.tick();
        assertThat(media.calls).contains("disconnect g2 nobody let you in within 5 minutes");
        assertThat(room.nextDeadlineNanos()).isEqualTo(Long.MAX_VALUE);
    }
}
