package org.conclave.tests.harness;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Stands in for the megolm-encrypted Matrix room of a conference, through which clients exchange
 * {@code io.element.call.encryption_keys} events. Served by {@link SignalServer}:
 * <pre>
 * GET  /rooms/{room}/state                                 -> [the m.room.encryption state event]
 * POST /rooms/{room}/join?member=M                         -> {"seq":N}
 * POST /rooms/{room}/leave?member=M                        -> {"seq":N}
 * POST /rooms/{room}/send/{type}?member=M   JSON object    -> {"event_id":"$N","seq":N}
 * GET  /rooms/{room}/events?member=M&amp;after=N[&amp;timeoutMs=T] long-poll -> [{"seq","type","sender","content"}]
 * </pre>
 * A member sees only events from its join to its leave ({@link RoomTimeline}); anything else answers 403.
 */
public final class RoomRelay {
    /** What the room's state says about encryption: a room whose events only members can read. */
    public static final String ENCRYPTION_ALGORITHM = "m.megolm.v1.aes-sha2";
    private static final Duration LONG_POLL_MAX = Duration.ofSeconds(30);

    private final ObjectMapper json;
    private final Map<String, RoomTimeline> rooms = new ConcurrentHashMap<>();

    RoomRelay(ObjectMapper json) {
        this.json = json;
    }

    /** The room's timeline, created empty on first use. */
    public RoomTimeline room(String roomId) {
        return rooms.computeIfAbsent(roomId, RoomTimeline::new);
    }

    void shutDown() {
        rooms.values().forEach(RoomTimeline::shutDown);
    }

    /** {@code path} is what follows {@code /rooms/}: the room id, then the action. */
    Reply route(String method, List<String> path, Map<String, String> query, String body)
            throws InterruptedException, IOException {
        if (path.size() < 2) return Reply.text(404, "no room action");
        RoomTimeline room = room(path.get(0));
        String action = path.get(1);
        try {
            if (action.equals("state") && path.size() == 2) {
                if (!method.equals("GET")) return Reply.text(405, "GET only");
                return Reply.json(stateEvents().toString());
            }
            if (action.equals("events") && path.size() == 2) {
                if (!method.equals("GET")) return Reply.text(405, "GET only");
                long after = Long.parseLong(query.getOrDefault("after", "0"));
                Duration wait = Duration.ofMillis(Math.min(
                        Long.parseLong(query.getOrDefault("timeoutMs", "10000")), LONG_POLL_MAX.toMillis()));
                return Reply.json(json.writeValueAsString(room.read(member(query), after, wait)));
            }
            if (!method.equals("POST")) return Reply.text(405, "POST only");
            RoomEvent event;
            if (action.equals("join") && path.size() == 2) {
                event = room.join(member(query));
            } else if (action.equals("leave") && path.size() == 2) {
                event = room.leave(member(query));
            } else if (action.equals("send") && path.size() == 3) {
                JsonNode content = json.readTree(body.isBlank() ? "null" : body);
                if (content == null || !content.isObject()) throw new IllegalArgumentException("content must be a JSON object");
                event = room.send(member(query), path.get(2), content);
            } else {
                return Reply.text(404, "no room action " + String.join("/", path.subList(1, path.size())));
            }
            return Reply.json(json.createObjectNode().put("event_id", "$" + event.seq()).put("seq", event.seq()).toString());
        } catch (RoomTimeline.NotMember e) {
            return Reply.text(403, e.getMessage());
        }
    }

    private ArrayNode stateEvents() {
        ArrayNode state = json.createArrayNode();
        state.addObject().put("type", "m.room.encryption").put("state_key", "")
                .putObject("content").put("algorithm", ENCRYPTION_ALGORITHM);
        return state;
    }

    private static String member(Map<String, String> query) {
        String member = query.get("member");
        if (member == null || member.isBlank()) throw new IllegalArgumentException("missing member");
        return member;
    }
}
