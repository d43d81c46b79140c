package org.conclave.tests.e2ee;

import java.util.HashMap;
import java.util.Map;
import org.conclave.keyexchange.keys.MediaKey;
import org.conclave.keyexchange.transport.ElementCallEncryptionKeys;
import org.conclave.keyexchange.transport.KeyTransportException;
import org.conclave.tests.harness.RoomEvent;
import org.conclave.tests.harness.RoomTimeline;

/**
 * The media keys that went through a conference room, read with the Java transport parser: what a member of the
 * room knows, and what the SFU (never a member) does not. Keys by sender and index, and the first event that carried
 * each.
 */
final class RoomKeys {
    private final Map<String, Map<Integer, byte[]>> keys = new HashMap<>();
    private final Map<String, Map<Integer, Long>> firstSeq = new HashMap<>();

    private RoomKeys() {}

    /** Every io.element.call.encryption_keys event of the room; a content the parser refuses fails the test. */
    static RoomKeys of(RoomTimeline room) throws KeyTransportException.Malformed {
        RoomKeys out = new RoomKeys();
        for (RoomEvent e : room.events(ElementCallEncryptionKeys.EVENT_TYPE)) {
            ElementCallEncryptionKeys content = ElementCallEncryptionKeys.parse(e.content().toString());
            for (MediaKey k : content.keys()) {
                out.keys.computeIfAbsent(e.sender(), s -> new HashMap<>()).put(k.index(), k.key());
                out.firstSeq.computeIfAbsent(e.sender(), s -> new HashMap<>()).putIfAbsent(k.index(), e.seq());
            }
        }
        return out;
    }

    /** Index -> key as announced by {@code sender} (empty if none). */
    Map<Integer, byte[]> of(String sender) {
        return Map.copyOf(keys.getOrDefault(sender, Map.of()));
    }

    /** Sequence number of the first event in which {@code sender} announced key {@code index}, or -1. */
    long firstAnnounced(String sender, int index) {
        return firstSeq.getOrDefault(sender, Map.of()).getOrDefault(index, -1L);
    }
}
