package org.conclave.appservice.event;

import io.vertx.core.json.JsonObject;
import java.util.Objects;

/**
 * A room event as the homeserver pushed it (client-server API event format). Built only by the transaction parser,
 * which guarantees the string fields below; everything else is read from {@link #json()} as needed.
 */
public final class RoomEvent {
    private final JsonObject json;

    /** @param json an event with string {@code event_id}, {@code room_id}, {@code type}, {@code sender} */
    public RoomEvent(JsonObject json) {
        this.json = Objects.requireNonNull(json, "json");
    }

    public String eventId() {
        return json.getString("event_id");
    }

    public String roomId() {
        return json.getString("room_id");
    }

    public String type() {
        return json.getString("type");
    }

    public String sender() {
        return json.getString("sender");
    }

    /** Spec: state events are told apart by the presence of {@code state_key}, not by their type. */
    public boolean isState() {
        return json.getValue("state_key") instanceof String;
    }

    /** The state key, or null for a message event. */
    public String stateKey() {
        return json.getValue("state_key") instanceof String key ? key : null;
    }

    /** The content; an empty object when the event has none (e.g. redacted). */
    public JsonObject content() {
        return json.getValue("content") instanceof JsonObject content ? content : new JsonObject();
    }

    /** Milliseconds since the epoch, or 0 when missing. */
    public long originServerTs() {
        return json.getValue("origin_server_ts") instanceof Number ts ? ts.longValue() : 0;
    }

    /** The whole event as received; callers must not modify it. */
    public JsonObject json() {
        return json;
    }

    @Override
    public String toString() {
        // Ids and type only: content may be private (messages, call SDP).
        return "RoomEvent[" + type() + " " + eventId() + " in " + roomId() + " from " + sender() + "]";
    }
}
