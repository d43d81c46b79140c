package org.conclave.sfu.room;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;

/** Keeps every message the room sends, parsed, so tests can look them up by recipient and type. */
final class RecordingOutbox implements RoomOutbox {
    record Sent(String endpointId, String type, JsonNode content) {}

    private static final ObjectMapper JSON = new ObjectMapper();
    final List<Sent> sent = new ArrayList<>();
    /** "endpoint errcode" of each message the room refused unread. */
    final List<String> refused = new ArrayList<>();

    @Override
    public void send(String endpointId, String json) {
        try {
            JsonNode m = JSON.readTree(json);
            sent.add(new Sent(endpointId, m.get("type").asText(), m.get("content")));
        } catch (Exception e) {
            throw new AssertionError("the room sent invalid JSON: " + json, e);
        }
    }

    @Override
    public void refused(String endpointId, ErrorCode code) {
        refused.add(endpointId + " " + code);
    }

    List<JsonNode> to(String endpointId, String type) {
        return sent.stream().filter(s -> s.endpointId.equals(endpointId) && s.type.equals(type)).map(Sent::content).toList();
    }

    JsonNode last(String endpointId, String type) {
        List<JsonNode> all = to(endpointId, type);
        if (all.isEmpty()) throw new AssertionError("no " + type + " sent to " + endpointId + "; sent: " + sent);
        return all.get(all.size() - 1);
    }

    List<String> types(String endpointId) {
        return sent.stream().filter(s -> s.endpointId.equals(endpointId)).map(Sent::type).toList();
    }

    void clear() {
        sent.clear();
    }
}
