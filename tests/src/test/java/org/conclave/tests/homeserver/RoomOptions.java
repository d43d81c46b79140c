package org.conclave.tests.homeserver;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;

/**
 * How a scripted client's room is created: turned into the {@code /createRoom} body a client sends (private rooms
 * with {@code private_chat}, public ones with {@code public_chat}, DMs as Element creates them:
 * {@code trusted_private_chat}, {@code is_direct}, and {@code m.room.encryption} in {@code initial_state}).
 *
 * @param invite users invited right after creation
 * @param direct invites carry {@code is_direct} (a DM)
 * @param powerLevels levels besides the creator's 100
 */
public record RoomOptions(String name, boolean isPublic, boolean encrypted, boolean direct, List<String> invite,
        Map<String, Integer> powerLevels) {
    public RoomOptions {
        invite = List.copyOf(invite);
        powerLevels = Map.copyOf(powerLevels);
    }

    /** A private (invite-only) room. */
    public static RoomOptions privateRoom(String name) {
        return new RoomOptions(name, false, false, false, List.of(), Map.of());
    }

    /** A direct-message room with one invitee, encrypted like clients create them. */
    public static RoomOptions directMessage(String invitee) {
        return new RoomOptions(null, false, true, true, List.of(invitee), Map.of());
    }

    public RoomOptions inviting(String... userIds) {
        return new RoomOptions(name, isPublic, encrypted, direct, List.of(userIds), powerLevels);
    }

    public RoomOptions withPowerLevels(Map<String, Integer> levels) {
        return new RoomOptions(name, isPublic, encrypted, direct, invite, levels);
    }

    public RoomOptions encrypted(boolean value) {
        return new RoomOptions(name, isPublic, value, direct, invite, powerLevels);
    }

    public RoomOptions publicRoom() {
        return new RoomOptions(name, true, encrypted, direct, invite, powerLevels);
    }

    /** The {@code /createRoom} body. */
    JsonObject toRequest(String creator) {
        String preset = isPublic ? "public_chat" : direct ? "trusted_private_chat" : "private_chat";
        JsonObject request = new JsonObject().put("preset", preset).put("invite", new JsonArray(invite));
        if (direct) request.put("is_direct", true);
        if (name != null) request.put("name", name);
        if (encrypted) {
            request.put("initial_state", new JsonArray().add(new JsonObject().put("type", "m.room.encryption")
                    .put("state_key", "").put("content", new JsonObject().put("algorithm", "m.megolm.v1.aes-sha2"))));
        }
        if (!powerLevels.isEmpty()) {
            JsonObject users = new JsonObject().put(creator, 100);
            if (direct) invite.forEach(i -> users.put(i, 100));
            powerLevels.forEach(users::put);
            request.put("power_level_content_override", new JsonObject().put("users", users));
        }
        return request;
    }
}
