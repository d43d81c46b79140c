package org.conclave.sfu.room;

import java.util.List;
import org.conclave.sfu.clock.FakeClock;
import org.conclave.sfu.control.Role;
import org.conclave.sfu.codec.MediaKind;

/** A room with a fake clock and recording media and outbox; message helpers build client JSON. */
class RoomFixture {
    final FakeClock clock = new FakeClock();
    final RecordingMedia media = new RecordingMedia();
    final RecordingOutbox out = new RecordingOutbox();
    Room room = new Room("conf", RoomOptions.DEFAULTS, clock, media, out);

    void joinWithCamera(String id, Role role) {
        room.join(id, "@" + id + ":example.org", role);
        room.setTracks(id, List.of(new RoomTrack("s-" + id, "a-" + id, MediaKind.AUDIO),
                new RoomTrack("s-" + id, "v-" + id, MediaKind.VIDEO)));
    }

    void send(String from, String type, String content) {
        room.onMessage(from, "{\"type\":\"" + type + "\",\"content\":" + content + "}");
    }

    void send(String from, String type) {
        send(from, type, "{}");
    }

    void clear() {
        out.clear();
        media.calls.clear();
    }

    RosterEntry entry(String id) {
        return room.roster().stream().filter(e -> e.id().equals(id)).findFirst()
                .orElseThrow(() -> new AssertionError("no roster entry " + id));
    }
}
