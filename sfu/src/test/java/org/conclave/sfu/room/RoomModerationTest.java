package org.conclave.sfu.room;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.conclave.sfu.control.Role;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Mute, mute guests, disconnect, hands, focus. */
class RoomModerationTest extends RoomFixture {

    @BeforeEach
    void setUp() {
        joinWithCamera("host", Role.HOST);
        joinWithCamera("h2", Role.HOST);
        joinWithCamera("g1", Role.GUEST);
        clear();
    }

    @Test
    void muteStopsAudioAndAsksTheClientToMute() {
        send("host", "org.conclave.mute", "{\"endpoint_id\":\"g1\"}");
        assertThat(media.calls).containsExactly("audio g1 false");
        assertThat(out.last("g1", "org.conclave.please_mute").get("by").asText()).isEqualTo("host");
        assertThat(out.last("h2", "org.conclave.roster").get("changed").get(0).get("muted").asBoolean()).isTrue();
        send("host", "org.conclave.mute", "{\"endpoint_id\":\"g1\"}");
        assertThat(media.calls).hasSize(1);
        send("host", "org.conclave.unmute", "{\"endpoint_id\":\"g1\"}");
        assertThat(media.calls).containsExactly("audio g1 false", "audio g1 true");
        assertThat(out.to("g1", "org.conclave.may_unmute")).hasSize(1);
        assertThat(entry("g1").muted()).isFalse();
    }

    @Test
    void hostsMayMuteHosts() {
        send("host", "org.conclave.mute", "{\"endpoint_id\":\"h2\"}");
        assertThat(media.calls).containsExactly("audio h2 false");
    }

    @Test
    void muteGuestsCoversCurrentAndLaterGuestsUntilUnmuted() {
        send("host", "org.conclave.mute_guests");
        assertThat(media.calls).containsExactly("audio g1 false");
        assertThat(out.last("h2", "org.conclave.room_state").get("guests_muted").asBoolean()).isTrue();
        room.join("g2", "@g2:example.org", Role.GUEST);
        room.join("h3", "@h3:example.org", Role.HOST);
        assertThat(media.calls).containsExactly("audio g1 false", "audio g2 false");
        assertThat(out.to("g2", "org.conclave.please_mute")).hasSize(1);
        assertThat(entry("g2").muted()).isTrue();
        assertThat(entry("h3").muted()).isFalse();
        send("host", "org.conclave.unmute_guests");
        assertThat(media.calls).endsWith("audio g1 true", "audio g2 true");
        room.join("g3", "@g3:example.org", Role.GUEST);
        assertThat(entry("g3").muted()).isFalse();
        assertThat(media.calls).noneMatch(c -> c.startsWith("audio g3"));
    }

    @Test
    void guestMutedWhileWaitingIsAskedToMuteOnAdmission() {
        send("host", "org.conclave.mute_guests");
        send("host", "org.conclave.lock");
        room.join("w", "@w:example.org", Role.GUEST);
        assertThat(out.types("w")).containsExactly("org.conclave.waiting_status");
        send("host", "org.conclave.admit", "{\"endpoint_id\":\"w\"}");
        assertThat(out.types("w")).contains("org.conclave.please_mute");
    }

    @Test
    void disconnectTellsTheClientAndTheMediaPath() {
        send("host", "org.conclave.disconnect", "{\"endpoint_id\":\"g1\",\"reason\":\"spam\"}");
        assertThat(out.last("g1", "org.conclave.disconnected").get("reason").asText()).isEqualTo("spam");
        assertThat(media.calls).containsExactly("disconnect g1 spam");
        assertThat(out.last("h2", "org.conclave.roster").get("removed").get(0).asText()).isEqualTo("g1");
        room.leave("g1"); // the media path reports the close later: nothing more happens
        assertThat(media.calls).hasSize(1);
    }

    @Test
    void disconnectAllSparesOnlyTheSender() {
        send("host", "org.conclave.lock");
        room.join("w", "@w:example.org", Role.GUEST);
        send("host", "org.conclave.disconnect_all");
        assertThat(media.calls).containsExactly("admitted w false", "disconnect h2 a host disconnected you",
                "disconnect g1 a host disconnected you", "disconnect w a host disconnected you");
        assertThat(room.roster()).extracting(RosterEntry::id).containsExactly("host");
    }

    @Test
    void handsQueueInRaiseOrderAndHostsLowerThem() {
        send("g1", "org.conclave.raise_hand");
        send("h2", "org.conclave.raise_hand");
        send("host", "org.conclave.raise_hand");
        send("g1", "org.conclave.raise_hand"); // again: keeps its place
        assertThat(room.handQueue()).containsExactly("g1", "h2", "host");
        JsonNode queue = out.last("g1", "org.conclave.hand_queue").get("queue");
        assertThat(queue).extracting(n -> n.get("endpoint_id").asText()).containsExactly("g1", "h2", "host");
        assertThat(entry("host").handPosition()).isEqualTo(3);

        send("host", "org.conclave.lower_hand", "{\"endpoint_id\":\"g1\"}");
        assertThat(room.handQueue()).containsExactly("h2", "host");
        assertThat(entry("host").handPosition()).isEqualTo(2);
        assertThat(entry("g1").handPosition()).isZero();
        send("h2", "org.conclave.lower_hand");
        assertThat(room.handQueue()).containsExactly("host");
        send("host", "org.conclave.lower_all_hands");
        assertThat(room.handQueue()).isEmpty();
        assertThat(out.last("g1", "org.conclave.hand_queue").get("queue")).isEmpty();
    }

    @Test
    void guestLowersItsOwnHandByIdToo() {
        send("g1", "org.conclave.raise_hand");
        send("g1", "org.conclave.lower_hand", "{\"endpoint_id\":\"g1\"}");
        assertThat(room.handQueue()).isEmpty();
    }

    @Test
    void leavingClearsHandSpotlightAndFocus() {
        send("g1", "org.conclave.raise_hand");
        send("host", "org.conclave.spotlight", "{\"endpoint_id\":\"g1\"}");
        send("host", "org.conclave.set_focus", "{\"endpoint_id\":\"g1\"}");
        out.clear();
        room.leave("g1");
        assertThat(room.handQueue()).isEmpty();
        assertThat(room.state()).isEqualTo(new RoomState(false, false, null, java.util.List.of()));
        assertThat(out.last("h2", "org.conclave.room_state").get("focus").isNull()).isTrue();
        assertThat(out.last("h2", "org.conclave.hand_queue").get("queue")).isEmpty();
    }

    @Test
    void focusIsBroadcastAndNeedsAnAdmittedTarget() {
        send("host", "org.conclave.set_focus", "{\"endpoint_id\":\"g1\",\"request_id\":\"f\"}");
        assertThat(out.last("g1", "org.conclave.room_state").get("focus").asText()).isEqualTo("g1");
        assertThat(out.last("host", "org.conclave.ok").get("request_type").asText()).isEqualTo("org.conclave.set_focus");
        send("host", "org.conclave.lock");
        room.join("w", "@w:example.org", Role.GUEST);
        send("host", "org.conclave.set_focus", "{\"endpoint_id\":\"w\"}");
        assertThat(out.last("host", "org.conclave.error").get("errcode").asText()).isEqualTo("M_INVALID_PARAM");
        assertThat(room.state().focus()).isEqualTo("g1");
    }

    @Test
    void selfMuteAndPurposeComeFromMetadata() {
        send("g1", "m.call.sdp_stream_metadata_changed",
                "{\"sdp_stream_metadata\":{\"s-g1\":{\"purpose\":\"m.usermedia\",\"audio_muted\":true}}}");
        assertThat(entry("g1").selfMuted()).isTrue();
        assertThat(out.last("host", "org.conclave.roster").get("changed").get(0).get("self_muted").asBoolean()).isTrue();
        send("g1", "m.call.sdp_stream_metadata_changed", "{\"sdp_stream_metadata\":{\"s-g1\":{}}}");
        assertThat(entry("g1").selfMuted()).isFalse();
    }
}
