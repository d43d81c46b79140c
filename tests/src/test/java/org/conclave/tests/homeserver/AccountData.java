package org.conclave.tests.homeserver;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Per-user data that is not a room event: account data (global and per room), read receipts, typing and presence,
 * each stamped with a stream position so {@code /sync} returns what changed since its token. Not thread-safe:
 * callers hold the {@link Model}'s lock.
 */
final class AccountData {
    private record Stamped(long position, JsonObject content) {}

    /** (room, user, receipt type) → the receipt. */
    private record Receipt(long position, String roomId, String userId, String type, String eventId, long ts) {}

    private final Model model;
    private final Map<String, Stamped> accountData = new LinkedHashMap<>(); // user \0 room-or-"" \0 type
    private final List<Receipt> receipts = new ArrayList<>();
    private final Map<String, Stamped> typing = new LinkedHashMap<>(); // room -> {user_ids}
    private final Map<String, Stamped> presence = new LinkedHashMap<>(); // user -> content

    AccountData(Model model) {
        this.model = model;
    }

    private static String key(String userId, String roomId, String type) {
        return userId + "\u0000" + (roomId == null ? "" : roomId) + "\u0000" + type;
    }

    void put(String userId, String roomId, String type, JsonObject content) {
        accountData.put(key(userId, roomId, type), new Stamped(model.next(), content.copy()));
        model.changed();
    }

    /** The content, or null. */
    JsonObject get(String userId, String roomId, String type) {
        Stamped s = accountData.get(key(userId, roomId, type));
        return s == null ? null : s.content.copy();
    }

    /** {@code [{type, content}]} of the user's account data (of one room, or global for null) changed after since. */
    JsonArray changed(String userId, String roomId, long since, long to) {
        String prefix = key(userId, roomId, "");
        JsonArray events = new JsonArray();
        accountData.forEach((k, s) -> {
            if (k.startsWith(prefix) && s.position > since && s.position <= to) {
                events.add(new JsonObject().put("type", k.substring(prefix.length())).put("content", s.content.copy()));
            }
        });
        return events;
    }

    /** A receipt replaces the user's earlier one of the same type in the room. */
    void receipt(String roomId, String userId, String type, String eventId) {
        receipts.removeIf(r -> r.roomId.equals(roomId) && r.userId.equals(userId) && r.type.equals(type));
        receipts.add(new Receipt(model.next(), roomId, userId, type, eventId, System.currentTimeMillis()));
        model.changed();
    }

    /** The event id of the user's latest receipt of this type in the room, or null. */
    String receiptOf(String roomId, String userId, String type) {
        return receipts.stream().filter(r -> r.roomId.equals(roomId) && r.userId.equals(userId)
                && r.type.equals(type)).map(Receipt::eventId).findFirst().orElse(null);
    }

    /**
     * The {@code m.receipt} EDU of the room's receipts changed after since (private ones only for their owner), or
     * null when none.
     */
    JsonObject receiptEdu(String roomId, String forUser, long since, long to) {
        JsonObject content = new JsonObject();
        for (Receipt r : receipts) {
            if (!r.roomId.equals(roomId) || r.position <= since || r.position > to) continue;
            if (r.type.equals("m.read.private") && !r.userId.equals(forUser)) continue;
            JsonObject byType = content.getJsonObject(r.eventId, new JsonObject());
            JsonObject byUser = byType.getJsonObject(r.type, new JsonObject());
            byUser.put(r.userId, new JsonObject().put("ts", r.ts));
            content.put(r.eventId, byType.put(r.type, byUser));
        }
        return content.isEmpty() ? null : new JsonObject().put("type", "m.receipt").put("content", content);
    }

    void typing(String roomId, String userId, boolean isTyping) {
        Stamped current = typing.get(roomId);
        JsonArray users = current == null ? new JsonArray() : current.content.getJsonArray("user_ids").copy();
        users.remove(userId);
        if (isTyping) users.add(userId);
        typing.put(roomId, new Stamped(model.next(), new JsonObject().put("user_ids", users)));
        model.changed();
    }

    /** The {@code m.typing} EDU if typing changed after since, else null. */
    JsonObject typingEdu(String roomId, long since, long to) {
        Stamped s = typing.get(roomId);
        if (s == null || s.position <= since || s.position > to) return null;
        return new JsonObject().put("type", "m.typing").put("content", s.content.copy());
    }

    void presence(String userId, JsonObject content) {
        presence.put(userId, new Stamped(model.next(), content.copy()));
        model.changed();
    }

    JsonObject presence(String userId) {
        Stamped s = presence.get(userId);
        return s == null ? null : s.content.copy();
    }

    /** {@code m.presence} events of users whose presence changed after since, for whom {@code visible} is true. */
    JsonArray presenceEvents(java.util.function.Predicate<String> visible, long since, long to) {
        JsonArray events = new JsonArray();
        presence.forEach((user, s) -> {
            if (s.position > since && s.position <= to && visible.test(user)) {
                events.add(new JsonObject().put("type", "m.presence").put("sender", user).put("content", s.content.copy()));
            }
        });
        return events;
    }
}
