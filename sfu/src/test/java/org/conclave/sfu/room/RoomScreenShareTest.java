package org.conclave.sfu.room;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.conclave.sfu.clock.FakeClock;
import org.conclave.sfu.control.Role;
import org.conclave.sfu.control.VideoQuality;
import org.conclave.sfu.codec.MediaKind;
import org.junit.jupiter.api.Test;

/** Stream metadata saying m.screenshare reaches the media, so rate control can favour the share. */
class RoomScreenShareTest {
    private final List<String> calls = new ArrayList<>();
    private final Room room = new Room("c", RoomOptions.DEFAULTS, new FakeClock(), new RoomMedia() {
        @Override
        public void setAudioForwarded(String endpointId, boolean forwarded) {}

        @Override
        public void setAdmitted(String endpointId, boolean admitted) {}

        @Override
        public void setVideoQuality(String r, String s, String streamId, String trackId, VideoQuality q,
                String reason) {}

        @Override
        public void disconnect(String endpointId, String reason) {}

        @Override
        public void setScreenShare(String endpointId, String streamId, String trackId, boolean screenShare) {
            calls.add(endpointId + " " + streamId + "/" + trackId + " " + screenShare);
        }
    }, (endpointId, json) -> {});

    @Test
    void metadataMarksScreenShareTracksAndLaterTracksFollowIt() {
        room.join("a", "@a:x", Role.GUEST);
        room.setTracks("a", List.of(new RoomTrack("cam", "v1", MediaKind.VIDEO), new RoomTrack("cam", "a1", MediaKind.AUDIO)));
        room.onMessage("a", """
                {"type":"m.call.sdp_stream_metadata_changed","content":{"sdp_stream_metadata":{
                  "cam":{"purpose":"m.usermedia"},"screen":{"purpose":"m.screenshare"}}}}""");
        assertThat(calls).containsExactly("a cam/v1 false");
        calls.clear();
        room.setTracks("a", List.of(new RoomTrack("cam", "v1", MediaKind.VIDEO),
                new RoomTrack("screen", "s1", MediaKind.VIDEO)));
        assertThat(calls).containsExactly("a cam/v1 false", "a screen/s1 true");
    }
}
