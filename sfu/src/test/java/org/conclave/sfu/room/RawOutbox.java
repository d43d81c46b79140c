package org.conclave.sfu.room;

import java.util.ArrayList;
import java.util.List;

/** Keeps every message as sent, byte for byte: "recipient json". */
final class RawOutbox implements RoomOutbox {
    final List<String> sent = new ArrayList<>();

    @Override
    public void send(String endpointId, String json) {
        sent.add(endpointId + " " + json);
    }

    @Override
    public void refused(String endpointId, ErrorCode code) {}

    /** The roster messages from index {@code from} on, as sent. */
    List<String> rosterSince(int from) {
        return sent.subList(from, sent.size()).stream()
                .filter(s -> s.contains("\"type\":\"org.conclave.roster\"")).toList();
    }
}
