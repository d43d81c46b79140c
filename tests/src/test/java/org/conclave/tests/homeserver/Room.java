package org.conclave.tests.homeserver;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One room of the {@link HomeserverDouble}: its timeline (each event with its position in the homeserver's one
 * stream, so rooms interleave) and current state. Not thread-safe: the double locks.
 */
public final class Room {
    /** Spec defaults when a room has no power levels, or the levels leave a field out. */
    static final int DEFAULT_STATE_LEVEL = 50;
    static final int DEFAULT_EVENTS_LEVEL = 0;
    static final int DEFAULT_INVITE_LEVEL = 0;
    static final int DEFAULT_KICK_BAN_LEVEL = 50;

    /**
     * One event and what the homeserver knows about it besides the event.
     *
     * @param device the sending device, for {@code unsigned.transaction_id} (null when none)
     * @param txnId the client's transaction id, or null
     * @param prev the state event this one replaced, or null
     */
    record Entry(long position, JsonObject event, String device, String txnId, JsonObject prev) {
        boolean isState() {
            return event.getValue("state_key") instanceof String;
        }

        String stateKey() {
            return event.getString("state_key");
        }

        String type() {
            return event.getString("type");
        }

        /** The event as a client sees it (Synapse's client format; {@code room_id} kept unless {@code bare}). */
        JsonObject client(String forDevice, long nowMillis, boolean bare) {
            JsonObject out = event.copy();
            if (bare) out.remove("room_id");
            JsonObject unsigned = new JsonObject().put("age", nowMillis - event.getLong("origin_server_ts"));
            if (txnId != null && device != null && device.equals(forDevice)) unsigned.put("transaction_id", txnId);
            if (prev != null) {
                unsigned.put("prev_content", prev.getJsonObject("content").copy())
                        .put("replaces_state", prev.getString("event_id"))
                        .put("prev_sender", prev.getString("sender"));
            }
            return out.put("unsigned", unsigned);
        }
    }

    private final String roomId;
    private final List<Entry> entries = new ArrayList<>();
    private final Map<String, Entry> state = new LinkedHashMap<>();

    Room(String roomId) {
        this.roomId = roomId;
    }

    public String roomId() {
        return roomId;
    }

    /** Appends at {@code position} (increasing across the homeserver); returns the entry. */
    Entry append(long position, JsonObject event, String device, String txnId) {
        Entry prev = event.getValue("state_key") instanceof String key
                ? state.get(stateKey(event.getString("type"), key)) : null;
        Entry entry = new Entry(position, event, device, txnId, prev == null ? null : prev.event);
        entries.add(entry);
        if (entry.isState()) state.put(stateKey(entry.type(), entry.stateKey()), entry);
        return entry;
    }

    /** For tests of the rules: appends at the next local position. */
    void append(JsonObject event) {
        append(entries.isEmpty() ? 1 : entries.get(entries.size() - 1).position + 1, event, null, null);
    }

    public List<JsonObject> timeline() {
        return entries.stream().map(Entry::event).toList();
    }

    /** Entries with {@code from < position <= to}, in order. */
    List<Entry> between(long from, long to) {
        return entries.stream().filter(e -> e.position > from && e.position <= to).toList();
    }

    Entry entry(String eventId) {
        return entries.stream().filter(e -> eventId.equals(e.event.getString("event_id"))).findFirst().orElse(null);
    }

    /** The current state event, or null. */
    public JsonObject state(String type, String stateKey) {
        Entry entry = state.get(stateKey(type, stateKey));
        return entry == null ? null : entry.event;
    }

    public List<JsonObject> stateEvents() {
        return state.values().stream().map(Entry::event).toList();
    }

    /** The state as it was once every event up to {@code position} was applied. */
    List<Entry> stateAt(long position) {
        Map<String, Entry> at = new LinkedHashMap<>();
        for (Entry e : entries) {
            if (e.position > position) break;
            if (e.isState()) at.put(stateKey(e.type(), e.stateKey()), e);
        }
        return List.copyOf(at.values());
    }

    /** join, invite, leave, ban; "leave" for users never seen. */
    public String membership(String userId) {
        JsonObject member = state("m.room.member", userId);
        return member == null ? "leave" : member.getJsonObject("content").getString("membership", "leave");
    }

    /** The user's membership once every event up to {@code position} was applied. */
    String membershipAt(String userId, long position) {
        String membership = "leave";
        for (Entry e : entries) {
            if (e.position > position) break;
            if (e.type().equals("m.room.member") && userId.equals(e.stateKey())) {
                membership = e.event.getJsonObject("content").getString("membership", "leave");
            }
        }
        return membership;
    }

    /** The user's current membership event, or null. */
    Entry memberEntry(String userId) {
        return state.get(stateKey("m.room.member", userId));
    }

    public List<JsonObject> memberEvents() {
        return stateEvents().stream().filter(e -> e.getString("type").equals("m.room.member")).toList();
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
        return users.getValue(userId) instanceof Number n ? n.intValue() : level(levels, "users_default", 0);
    }

    /** The level needed to send an event of this type (state or not). */
    public int requiredLevel(String type, boolean isState) {
        JsonObject levels = levels();
        if (levels == null) return isState ? DEFAULT_STATE_LEVEL : DEFAULT_EVENTS_LEVEL;
        JsonObject events = levels.getJsonObject("events", new JsonObject());
        if (events.getValue(type) instanceof Number n) return n.intValue();
        return isState ? level(levels, "state_default", DEFAULT_STATE_LEVEL)
                : level(levels, "events_default", DEFAULT_EVENTS_LEVEL);
    }

    public int inviteLevel() {
        JsonObject levels = levels();
        return levels == null ? DEFAULT_INVITE_LEVEL : level(levels, "invite", DEFAULT_INVITE_LEVEL);
    }

    /** {@code kick}, {@code ban} or {@code redact}: the spec's default is 50. */
    int actionLevel(String action) {
        JsonObject levels = levels();
        return levels == null ? DEFAULT_KICK_BAN_LEVEL : level(levels, action, DEFAULT_KICK_BAN_LEVEL);
    }

    public boolean isPublic() {
        JsonObject rules = state("m.room.join_rules", "");
        return rules != null && "public".equals(rules.getJsonObject("content").getString("join_rule"));
    }

    public boolean isEncrypted() {
        return state("m.room.encryption", "") != null;
    }

    JsonObject levels() {
        JsonObject event = state("m.room.power_levels", "");
        return event == null ? null : event.getJsonObject("content");
    }

    private static int level(JsonObject levels, String key, int fallback) {
        return levels.getValue(key) instanceof Number n ? n.intValue() : fallback;
    }

    private static String stateKey(String type, String key) {
        return type + "\u0000" + key;
    }
}
