package org.conclave.tests.homeserver;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One room of the {@link HomeserverDouble}: its timeline and current state. Not thread-safe: the double locks. */
public final class Room {
    /** Spec defaults when a room has no power levels, or the levels leave a field out. */
    static final int DEFAULT_STATE_LEVEL = 50;
    static final int DEFAULT_EVENTS_LEVEL = 0;
    static final int DEFAULT_INVITE_LEVEL = 0;

    private final String roomId;
    private final List<JsonObject> timeline = new ArrayList<>();
    private final Map<String, JsonObject> state = new LinkedHashMap<>();

    Room(String roomId) {
        this.roomId = roomId;
    }

    public String roomId() {
        return roomId;
    }

    void append(JsonObject event) {
        timeline.add(event);
        if (event.getValue("state_key") instanceof String key) state.put(stateKey(event.getString("type"), key), event);
    }

    public List<JsonObject> timeline() {
        return List.copyOf(timeline);
    }

    /** The current state event, or null. */
    public JsonObject state(String type, String stateKey) {
        return state.get(stateKey(type, stateKey));
    }

    public List<JsonObject> stateEvents() {
        return List.copyOf(state.values());
    }

    /** join, invite, leave, ban; "leave" for users never seen. */
    public String membership(String userId) {
        JsonObject member = state("m.room.member", userId);
        return member == null ? "leave" : member.getJsonObject("content").getString("membership", "leave");
    }

    public List<JsonObject> memberEvents() {
        return state.values().stream().filter(e -> e.getString("type").equals("m.room.member")).toList();
    }

    public List<String> members(String membership) {
        return memberEvents().stream()
                .filter(e -> membership.equals(e.getJsonObject("content").getString("membership")))
                .map(e -> e.getString("state_key")).toList();
    }

    public int powerLevel(String userId) {
        JsonObject levels = levels();
        if (levels == null) {
            JsonObject create = state("m.room.create", "");
            return create != null && userId.equals(create.getString("sender")) ? 100 : 0;
        }
        JsonObject users = levels.getJsonObject("users", new JsonObject());
        return users.getValue(userId) instanceof Number n ? n.intValue() : levels.getInteger("users_default", 0);
    }

    /** The level needed to send an event of this type (state or not). */
    public int requiredLevel(String type, boolean isState) {
        JsonObject levels = levels();
        if (levels == null) return isState ? DEFAULT_STATE_LEVEL : DEFAULT_EVENTS_LEVEL;
        JsonObject events = levels.getJsonObject("events", new JsonObject());
        if (events.getValue(type) instanceof Number n) return n.intValue();
        return isState ? levels.getInteger("state_default", DEFAULT_STATE_LEVEL)
                : levels.getInteger("events_default", DEFAULT_EVENTS_LEVEL);
    }

    public int inviteLevel() {
        JsonObject levels = levels();
        return levels == null ? DEFAULT_INVITE_LEVEL : levels.getInteger("invite", DEFAULT_INVITE_LEVEL);
    }

    public boolean isPublic() {
        JsonObject rules = state("m.room.join_rules", "");
        return rules != null && "public".equals(rules.getJsonObject("content").getString("join_rule"));
    }

    public boolean isEncrypted() {
        return state("m.room.encryption", "") != null;
    }

    private JsonObject levels() {
        JsonObject event = state("m.room.power_levels", "");
        return event == null ? null : event.getJsonObject("content");
    }

    private static String stateKey(String type, String key) {
        return type + "\u0000" + key;
    }
}
