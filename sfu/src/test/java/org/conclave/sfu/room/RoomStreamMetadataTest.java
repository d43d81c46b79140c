package org.conclave.sfu.room;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.conclave.sfu.control.Role;
import org.conclave.sfu.control.StreamMetadata;
import org.conclave.sfu.control.StreamMetadata.Purpose;
import org.junit.jupiter.api.Test;

/**
 * The room owns what clients say about their streams, from signalling (the control contract) and from their data
 * channel alike, and describes each stream as receivers see it: a host's mute shows as audio_muted.
 */
class RoomStreamMetadataTest extends RoomFixture {
    private static final StreamMetadata CAMERA = StreamMetadata.own(Purpose.USERMEDIA, false, false);
    private static final StreamMetadata SCREEN = StreamMetadata.own(Purpose.SCREENSHARE, false, false);

    @Test
    void withoutMetadataAStreamIsAnUnmutedCameraOfItsParticipant() {
        joinWithCamera("a", Role.GUEST);
        assertThat(room.describeStream("a", "s-a"))
                .isEqualTo(new StreamMetadata(Purpose.USERMEDIA, false, false, "@a:example.org"));
        assertThat(room.describeStream("nobody", "s-a")).isNull();
    }

    @Test
    void signallingAndTheDataChannelFeedOneStoreStreamByStream() {
        joinWithCamera("a", Role.GUEST);
        room.setStreamMetadata("a", Map.of("s-a", StreamMetadata.own(Purpose.USERMEDIA, true, false), "share", SCREEN));
        assertThat(media.metadataChanges).containsExactly("a");
        assertThat(entry("a").selfMuted()).isTrue();

        send("a", "m.call.sdp_stream_metadata_changed", "{\"sdp_stream_metadata\":{\"s-a\":{\"purpose\":\"m.usermedia\","
                + "\"audio_muted\":false,\"video_muted\":true}}}");
        assertThat(media.metadataChanges).containsExactly("a", "a");
        assertThat(room.describeStream("a", "s-a"))
                .isEqualTo(new StreamMetadata(Purpose.USERMEDIA, false, true, "@a:example.org"));
        // a stream it did not name keeps what it said before
        assertThat(room.describeStream("a", "share").purpose()).isEqualTo(Purpose.SCREENSHARE);
        assertThat(entry("a").selfMuted()).isFalse();

        // the same again changes nothing, and nobody is told
        room.setStreamMetadata("a", Map.of("s-a", StreamMetadata.own(Purpose.USERMEDIA, false, true)));
        room.setStreamMetadata("a", Map.of());
        assertThat(media.metadataChanges).hasSize(2);
    }

    @Test
    void aHostMuteShowsAsAudioMutedUntilUnmuted() {
        joinWithCamera("h", Role.HOST);
        joinWithCamera("g", Role.GUEST);
        room.setStreamMetadata("g", Map.of("s-g", CAMERA));
        media.metadataChanges.clear();

        send("h", "org.conclave.mute", "{\"endpoint_id\":\"g\"}");
        assertThat(media.metadataChanges).containsExactly("g");
        assertThat(room.describeStream("g", "s-g").audioMuted()).isTrue();
        // the roster keeps the two apart: muted by a host, not by itself
        assertThat(entry("g").muted()).isTrue();
        assertThat(entry("g").selfMuted()).isFalse();

        send("h", "org.conclave.unmute", "{\"endpoint_id\":\"g\"}");
        assertThat(media.metadataChanges).containsExactly("g", "g");
        assertThat(room.describeStream("g", "s-g").audioMuted()).isFalse();
    }

    @Test
    void metadataOfStreamsItDoesNotPublishIsBounded() {
        joinWithCamera("a", Role.GUEST);
        int rounds = 3 * RoomOptions.DEFAULTS.maxListItems();
        for (int i = 0; i < rounds; i++) {
            room.setStreamMetadata("a", Map.of("ghost-" + i, SCREEN,
                    "s-a", StreamMetadata.own(Purpose.USERMEDIA, i == rounds - 1, false)));
        }
        // what it says about its published stream survives the pruning
        assertThat(room.describeStream("a", "s-a").audioMuted()).isTrue();
        assertThat(room.describeStream("a", "ghost-0").purpose()).isEqualTo(Purpose.USERMEDIA);
    }

    @Test
    void aPongIsTakenWithoutReplyAlsoFromTheWaitingRoom() {
        joinWithCamera("h", Role.HOST);
        send("h", "org.conclave.lock");
        room.join("w", "@w:example.org", Role.GUEST);
        clear();
        send("h", "m.call.pong", "{\"request_id\":\"p1\"}");
        send("w", "m.call.pong");
        assertThat(out.sent).isEmpty();
    }
}
