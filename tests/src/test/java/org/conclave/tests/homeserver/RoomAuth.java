package org.conclave.tests.homeserver;

import io.vertx.core.json.JsonObject;
import java.util.HashSet;
import java.util.Set;

/**
 * The authorization rules a homeserver applies before an event enters a room (the spec's auth rules as Synapse
 * enforces them, with Synapse's wording): membership transitions, the power to send an event or state, and what a
 * change of power levels may touch. Refusals are {@code 403 M_FORBIDDEN}; nothing changes.
 */
final class RoomAuth {
    private RoomAuth() {}

    /** @throws MatrixFailure when {@code sender} may not send this event into {@code room} */
    static void check(Room room, String sender, String type, String stateKey, JsonObject content) {
        if (type.equals("m.room.member") && stateKey != null) {
            membership(room, sender, stateKey, content.getValue("membership") instanceof String m ? m : "");
            return;
        }
        requireJoined(room, sender);
        int have = room.powerLevel(sender);
        int need = room.requiredLevel(type, stateKey != null);
        if (have < need) {
            throw Http.forbidden("You don't have permission to post that to the room. user_level (" + have
                    + ") < send_level (" + need + ")");
        }
        if (stateKey != null && stateKey.startsWith("@") && !stateKey.equals(sender)) {
            // A state key that is a user id belongs to that user (spec auth rules, step 7 of room v11).
            throw Http.forbidden("You are not allowed to set others state");
        }
        if (type.equals("m.room.power_levels") && stateKey != null) powerLevelChange(room, sender, content);
    }

    static void requireJoined(Room room, String userId) {
        if (!room.membership(userId).equals("join")) {
            throw Http.forbidden("User " + userId + " not in room " + room.roomId());
        }
    }

    private static void membership(Room room, String sender, String target, String membership) {
        String current = room.membership(target);
        String senderMembership = room.membership(sender);
        int senderLevel = room.powerLevel(sender);
        switch (membership) {
            case "invite" -> {
                if (!senderMembership.equals("join")) throw Http.forbidden(sender + " not in room " + room.roomId());
                if (current.equals("ban")) throw Http.forbidden(target + " is banned from the room");
                if (current.equals("join")) throw Http.forbidden(target + " is already in the room.");
                if (senderLevel < room.inviteLevel()) throw Http.forbidden("You don't have permission to invite users");
            }
            case "join" -> {
                if (!sender.equals(target)) throw Http.forbidden("Cannot force another user to join.");
                if (current.equals("ban")) throw Http.forbidden("You are banned from this room");
                if (!current.equals("invite") && !current.equals("join") && !room.isPublic()) {
                    throw Http.forbidden("You are not invited to this room.");
                }
            }
            case "leave" -> {
                if (sender.equals(target)) {
                    if (!current.equals("join") && !current.equals("invite")) {
                        throw Http.forbidden("User " + sender + " not in room " + room.roomId());
                    }
                    return;
                }
                if (!senderMembership.equals("join")) throw Http.forbidden(sender + " not in room " + room.roomId());
                int need = current.equals("ban") ? room.actionLevel("ban") : room.actionLevel("kick");
                if (senderLevel < need || senderLevel <= room.powerLevel(target)) {
                    throw Http.forbidden("You cannot kick user " + target + ".");
                }
                if (current.equals("leave")) throw Http.forbidden("The target user is not in the room");
            }
            case "ban" -> {
                if (!senderMembership.equals("join")) throw Http.forbidden(sender + " not in room " + room.roomId());
                if (senderLevel < room.actionLevel("ban") || senderLevel <= room.powerLevel(target)) {
                    throw Http.forbidden("You don't have permission to ban");
                }
            }
            default -> throw Http.badJson("Unknown membership " + membership);
        }
    }

    /**
     * A power-levels change may only touch levels (of users, events, and the named actions) that were and become
     * at most the sender's own, and may not lower another user whose level equals the sender's.
     */
    private static void powerLevelChange(Room room, String sender, JsonObject next) {
        JsonObject current = room.levels();
        if (current == null) return;
        int own = room.powerLevel(sender);
        for (String key : Set.of("users_default", "events_default", "state_default", "ban", "redact", "kick",
                "invite")) {
            changed(current.getValue(key), next.getValue(key), own, false);
        }
        for (String section : Set.of("events", "users")) {
            JsonObject before = current.getJsonObject(section, new JsonObject());
            JsonObject after = next.getValue(section) instanceof JsonObject o ? o : new JsonObject();
            Set<String> keys = new HashSet<>(before.fieldNames());
            keys.addAll(after.fieldNames());
            for (String key : keys) {
                boolean otherUser = section.equals("users") && !key.equals(sender);
                changed(before.getValue(key), after.getValue(key), own, otherUser);
            }
        }
    }

    private static void changed(Object before, Object after, int own, boolean otherUser) {
        Integer was = before instanceof Number n ? n.intValue() : null;
        Integer now = after instanceof Number n ? n.intValue() : null;
        if (was == null ? now == null : was.equals(now)) return;
        if (was != null && was > own || now != null && now > own) {
            throw Http.forbidden("You don't have permission to add ops level greater than your own");
        }
        if (otherUser && was != null && was == own) {
            throw Http.forbidden("You don't have permission to remove ops level equal to your own");
        }
    }
}
