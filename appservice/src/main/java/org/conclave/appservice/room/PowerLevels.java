package org.conclave.appservice.room;

import io.vertx.core.json.JsonObject;

/**
 * The reading of a room's {@code m.room.power_levels} (spec, "m.room.power_levels"), with the defaults that apply when
 * a key or the whole event is missing. Values may be integers or (rooms before version 10) numeric strings.
 */
public final class PowerLevels {
    /** The spec's default of {@code state_default} when the event exists but does not say. */
    static final long STATE_DEFAULT = 50;
    /** A room creator's level when the room has no power levels event (room versions before 12). */
    static final long CREATOR_WITHOUT_EVENT = 100;

    private final JsonObject content;

    /** @param content the event's content, or null when the room has no power levels event */
    PowerLevels(JsonObject content) {
        this.content = content;
    }

    /** A user's level per the event, without the room-creator rules (see {@link RoomState#powerLevel}). */
    long user(String userId) {
        if (content == null) return 0;
        JsonObject users = content.getValue("users") instanceof JsonObject u ? u : new JsonObject();
        Long own = number(users.getValue(userId));
        return own != null ? own : orDefault("users_default", 0);
    }

    /** The level needed to send a state event of {@code type}. */
    public long stateEvent(String type) {
        Long specific = eventSpecific(type);
        if (specific != null) return specific;
        return content == null ? 0 : orDefault("state_default", STATE_DEFAULT);
    }

    private Long eventSpecific(String type) {
        if (content == null || !(content.getValue("events") instanceof JsonObject events)) return null;
        return number(events.getValue(type));
    }

    private long orDefault(String key, long fallback) {
        if (content == null) return fallback;
        Long value = number(content.getValue(key));
        return value == null ? fallback : value;
    }

    /** An integer, or a string holding one (older room versions); anything else is absent. */
    static Long number(Object value) {
        if (value instanceof Number n) return n.longValue();
        if (value instanceof String s) {
            try {
                return Long.parseLong(s.strip());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }
}
