package org.conclave.appservice.event;

import io.vertx.core.json.JsonObject;
import java.util.Objects;

/**
 * An EDU pushed with {@code receive_ephemeral} ({@code m.typing}, {@code m.receipt}, {@code m.presence}) or a
 * to-device message (MSC2409: {@code to_user_id}, {@code to_device_id}). Built only by the transaction parser, which
 * guarantees a string {@code type}.
 */
public final class EphemeralEvent {
    private final JsonObject json;

    public EphemeralEvent(JsonObject json) {
        this.json = Objects.requireNonNull(json, "json");
    }

    public String type() {
        return json.getString("type");
    }

    /** The room of an {@code m.typing}/{@code m.receipt}; null for presence and to-device messages. */
    public String roomId() {
        return json.getValue("room_id") instanceof String room ? room : null;
    }

    /** The sender, or null when the EDU has none (typing, receipts). */
    public String sender() {
        return json.getValue("sender") instanceof String sender ? sender : null;
    }

    /** For a to-device message, the user it is addressed to; null otherwise. */
    public String toUserId() {
        return json.getValue("to_user_id") instanceof String user ? user : null;
    }

    /** For a to-device message, the device it is addressed to ({@code *} = all); null otherwise. */
    public String toDeviceId() {
        return json.getValue("to_device_id") instanceof String device ? device : null;
    }

    public JsonObject content() {
        return json.getValue("content") instanceof JsonObject content ? content : new JsonObject();
    }

    /** The whole item as received; callers must not modify it. */
    public JsonObject json() {
        return json;
    }

    @Override
    public String toString() {
        return "EphemeralEvent[" + type() + (roomId() == null ? "" : " in " + roomId()) + "]";
    }
}
