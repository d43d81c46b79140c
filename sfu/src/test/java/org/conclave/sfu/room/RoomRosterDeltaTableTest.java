package org.conclave.sfu.room;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.conclave.sfu.codec.MediaKind;
import org.conclave.sfu.control.Role;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The roster deltas one change sends a host and a guest, pinned ("+id" changed, "-id" removed, in message order;
 * "" nothing). Byte-level equality with the roster before issue #16 is {@link RosterRandomRoomTest}'s.
 */
class RoomRosterDeltaTableTest extends RoomFixture {

    /** As in RoomRosterTest: host (hand up), bob (guest, audio-only, muted), carol (camera, spotlight, speaking), dave waiting. */
    @BeforeEach
    void setUp() {
        room.join("host", "@alice:example.org", Role.HOST);
        room.setTracks("host", List.of(new RoomTrack("s-h", "v-h", MediaKind.VIDEO)));
        room.join("bob", "@bob:example.org", Role.GUEST);
        room.setTracks("bob", List.of(new RoomTrack("s-b", "a-b", MediaKind.AUDIO)));
        joinWithCamera("carol", Role.GUEST);
        send("host", "org.conclave.raise_hand");
        send("host", "org.conclave.spotlight", "{\"endpoint_id\":\"carol\"}");
        send("host", "org.conclave.lock");
        room.join("dave", "@dave:example.org", Role.GUEST);
        room.onAudioLevels(Map.of("carol", 20));
        send("host", "org.conclave.mute", "{\"endpoint_id\":\"bob\"}");
        clear();
    }

    private static Arguments row(String change, Consumer<RoomRosterDeltaTableTest> before,
            Consumer<RoomRosterDeltaTableTest> act, String host, String guest) {
        return Arguments.of(change, before, act, host, guest);
    }

    private static Consumer<RoomRosterDeltaTableTest> msg(String from, String type, String content) {
        return t -> t.send(from, type, content);
    }

    static Stream<Arguments> changes() {
        Consumer<RoomRosterDeltaTableTest> none = t -> {};
        return Stream.of(
                row("a guest joins a locked room", none, t -> t.room.join("erin", "@erin:x", Role.GUEST), "+erin", ""),
                row("a host joins a locked room", none, t -> t.room.join("hank", "@hank:x", Role.HOST), "+hank",
                        "+hank"),
                row("a waiter is admitted", none, msg("host", "org.conclave.admit", "{\"endpoint_id\":\"dave\"}"),
                        "+dave", "+dave"),
                row("a waiter is rejected", none, msg("host", "org.conclave.reject", "{\"endpoint_id\":\"dave\"}"),
                        "-dave", ""),
                row("a waiter leaves", none, t -> t.room.leave("dave"), "-dave", ""),
                row("unlocking lets the waiter in", none, msg("host", "org.conclave.unlock", "{}"), "+dave", "+dave"),
                row("a guest leaves", none, t -> t.room.leave("carol"), "-carol", "-carol"),
                row("a host disconnects a guest", none, msg("host", "org.conclave.disconnect",
                        "{\"endpoint_id\":\"carol\"}"), "-carol", "-carol"),
                row("a hand goes up", none, msg("bob", "org.conclave.raise_hand", "{}"), "+bob", "+bob"),
                row("the first hand goes down, the next moves up", msg("bob", "org.conclave.raise_hand", "{}"),
                        msg("host", "org.conclave.lower_hand", "{}"), "+host +bob", "+host +bob"),
                row("all hands go down", msg("bob", "org.conclave.raise_hand", "{}"),
                        msg("host", "org.conclave.lower_all_hands", "{}"), "+host +bob", "+host +bob"),
                row("a host mutes a guest", none, msg("host", "org.conclave.mute", "{\"endpoint_id\":\"carol\"}"),
                        "+carol", "+carol"),
                row("a host unmutes a guest", none, msg("host", "org.conclave.unmute", "{\"endpoint_id\":\"bob\"}"),
                        "+bob", "+bob"),
                row("a host mutes the guests", none, msg("host", "org.conclave.mute_guests", "{}"), "+carol +dave",
                        "+carol"),
                row("a guest mutes itself", none, msg("bob", "m.call.sdp_stream_metadata_changed",
                        "{\"sdp_stream_metadata\":{\"s-b\":{\"audio_muted\":true}}}"), "+bob", "+bob"),
                row("a spotlight moves", none, msg("host", "org.conclave.spotlight", "{\"endpoint_id\":\"host\"}"),
                        "+host", "+host"),
                row("speaking ends after the hangover", none, t -> {
                    t.clock.advanceMillis(2000);
                    t.room.tick();
                }, "+carol", "+carol"),
                row("a guest filtering raised hands sees one go down", msg("bob", "org.conclave.roster_filter",
                        "{\"filters\":[\"hand_raised\"]}"), msg("host", "org.conclave.lower_hand", "{}"), "+host",
                        "-host"),
                row("a host filtering waiters sees one admitted", msg("host", "org.conclave.roster_filter",
                        "{\"filters\":[\"waiting\"]}"), msg("host", "org.conclave.admit", "{\"endpoint_id\":\"dave\"}"),
                        "-dave", "+dave"),
                row("a tick changes nothing", none, t -> t.room.tick(), "", ""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("changes")
    void oneChangeSendsTheseDeltas(String change, Consumer<RoomRosterDeltaTableTest> before,
            Consumer<RoomRosterDeltaTableTest> act, String host, String guest) {
        before.accept(this);
        clear();
        act.accept(this);
        assertThat(deltas("host")).as("host").isEqualTo(host);
        assertThat(deltas("bob")).as("guest").isEqualTo(guest);
    }

    private String deltas(String who) {
        List<String> messages = new ArrayList<>();
        for (JsonNode m : out.to(who, "org.conclave.roster")) {
            assertThat(m.get("snapshot").asBoolean()).isFalse();
            List<String> parts = new ArrayList<>();
            m.get("changed").forEach(e -> parts.add("+" + e.get("id").asText()));
            m.get("removed").forEach(id -> parts.add("-" + id.asText()));
            messages.add(String.join(" ", parts));
        }
        return String.join(" | ", messages);
    }
}
