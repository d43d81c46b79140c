package org.conclave.tests.homeserver;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The rooms: creation as Synapse does it ({@code /createRoom} presets, the order of the initial events), sending
 * after {@link RoomAuth}, and idempotent client transactions. Not thread-safe: callers hold the {@link Model}'s lock.
 */
final class Rooms {
    /** Synapse's default room version since 1.119. */
    static final String ROOM_VERSION = "11";
    static final List<String> ROOM_VERSIONS = List.of("1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11");
    private static final Pattern USER_ID = Pattern.compile("@[^:]+:.+");

    /** Told of every event that entered a room (the appservice's interest, for one). */
    interface Listener {
        void appended(Room room, Room.Entry entry);
    }

    private final Model model;
    private final Listener listener;
    private final Map<String, Room> rooms = new LinkedHashMap<>();
    /** (scope, room, type, txnId) of a send → its event id: a repeated client transaction id is the same send. */
    private final Map<String, String> sends = new HashMap<>();

    Rooms(Model model, Listener listener) {
        this.model = model;
        this.listener = listener;
    }

    /** The room; {@code 404 M_NOT_FOUND} when unknown. */
    Room room(String roomId) {
        Room room = rooms.get(roomId);
        if (room == null) throw Http.notFound("Unknown room " + roomId);
        return room;
    }

    boolean exists(String roomId) {
        return rooms.containsKey(roomId);
    }

    List<Room> all() {
        return List.copyOf(rooms.values());
    }

    /** The rooms in which the user's membership is one of {@code memberships}. */
    List<Room> withMembership(String userId, String... memberships) {
        List<String> wanted = List.of(memberships);
        return rooms.values().stream().filter(r -> wanted.contains(r.membership(userId))).toList();
    }

    /** Whether two users are both joined to some room (device list changes are shared among them). */
    boolean shareRoom(String a, String b) {
        return a.equals(b) || rooms.values().stream()
                .anyMatch(r -> r.membership(a).equals("join") && r.membership(b).equals("join"));
    }

    /** {@code POST /createRoom} with a client's body, events in Synapse's order; returns the room id. */
    String create(String creator, JsonObject request) {
        Preset preset = Preset.of(request);
        List<String> invite = strings(request.getValue("invite"), "invite");
        for (String invitee : invite) {
            if (!USER_ID.matcher(invitee).matches()) throw new MatrixFailure(400, "M_UNKNOWN", "Invalid user_id: " + invitee);
        }
        String version = request.getValue("room_version") instanceof String v ? v : ROOM_VERSION;
        if (!ROOM_VERSIONS.contains(version)) {
            throw new MatrixFailure(400, "M_UNSUPPORTED_ROOM_VERSION", "Your homeserver does not support this room version");
        }
        JsonObject override = object(request, "power_level_content_override");
        if (override != null && override.getValue("users") instanceof JsonObject users && !users.containsKey(creator)) {
            throw new MatrixFailure(400, "M_UNKNOWN",
                    "Not a valid power_level_content_override: 'users' did not contain " + creator);
        }
        Map<String, JsonObject> initialState = initialState(request.getValue("initial_state"));
        String roomId = "!" + Http.random(14).replace('-', 'a').replace('_', 'b') + ":" + model.serverName;
        Room room = new Room(roomId);
        rooms.put(roomId, room);

        JsonObject creation = object(request, "creation_content");
        creation = (creation == null ? new JsonObject() : creation.copy()).put("room_version", version);
        if (!version.equals("11")) creation.put("creator", creator);
        append(room, creator, "m.room.create", "", creation, null, null);
        JsonObject join = new JsonObject().put("membership", "join");
        if (model.users.displayName(creator) != null) join.put("displayname", model.users.displayName(creator));
        append(room, creator, "m.room.member", creator, join, null, null);
        JsonObject levels = initialState.remove(key("m.room.power_levels", ""));
        append(room, creator, "m.room.power_levels", "",
                levels != null ? levels : preset.powerLevels(creator, invite, override), null, null);
        initialIfAbsent(room, creator, initialState, "m.room.join_rules", new JsonObject().put("join_rule", preset.joinRule));
        initialIfAbsent(room, creator, initialState, "m.room.history_visibility",
                new JsonObject().put("history_visibility", "shared"));
        if (preset.guestCanJoin) {
            initialIfAbsent(room, creator, initialState, "m.room.guest_access",
                    new JsonObject().put("guest_access", "can_join"));
        }
        initialState.forEach((k, content) -> {
            String[] typeAndKey = k.split("\u0000", 2);
            append(room, creator, typeAndKey[0], typeAndKey[1], content, null, null);
        });
        if (request.getValue("name") instanceof String name) {
            append(room, creator, "m.room.name", "", new JsonObject().put("name", name), null, null);
        }
        if (request.getValue("topic") instanceof String topic) {
            append(room, creator, "m.room.topic", "", new JsonObject().put("topic", topic).put("m.topic",
                    new JsonObject().put("m.text", new JsonArray().add(new JsonObject().put("body", topic)))), null, null);
        }
        JsonObject inviteContent = new JsonObject().put("membership", "invite");
        if (Boolean.TRUE.equals(request.getValue("is_direct"))) inviteContent.put("is_direct", true);
        for (String invitee : invite) send(creator, roomId, "m.room.member", invitee, inviteContent.copy(), null, null);
        return roomId;
    }

    private void initialIfAbsent(Room room, String creator, Map<String, JsonObject> initialState, String type,
            JsonObject content) {
        if (!initialState.containsKey(key(type, ""))) append(room, creator, type, "", content, null, null);
    }

    /**
     * Sends an event as {@code sender} after the checks a homeserver makes.
     *
     * @param stateKey null for a message event
     * @param device the sending device (for {@code unsigned.transaction_id}), or null
     * @throws MatrixFailure when refused
     */
    Room.Entry send(String sender, String roomId, String type, String stateKey, JsonObject content, String device,
            String txnId) {
        Room room = room(roomId);
        RoomAuth.check(room, sender, type, stateKey, content);
        return append(room, sender, type, stateKey, content, device, txnId);
    }

    /**
     * {@code PUT /rooms/{roomId}/send/{type}/{txnId}}: the same (scope, txnId) is the same send, answered with the
     * first send's event id and not sent again. Synapse scopes transaction ids per device (per appservice user for
     * the appservice).
     */
    String sendOnce(String scope, String sender, String roomId, String type, JsonObject content, String device,
            String txnId) {
        String key = scope + "\u0000" + roomId + "\u0000" + type + "\u0000" + txnId;
        String existing = sends.get(key);
        if (existing != null) return existing;
        String eventId = send(sender, roomId, type, null, content, device, txnId).event().getString("event_id");
        sends.put(key, eventId);
        return eventId;
    }

    private Room.Entry append(Room room, String sender, String type, String stateKey, JsonObject content,
            String device, String txnId) {
        JsonObject event = new JsonObject().put("event_id", "$" + Http.random(32))
                .put("room_id", room.roomId()).put("sender", sender).put("type", type)
                .put("origin_server_ts", System.currentTimeMillis()).put("content", content.copy());
        if (stateKey != null) event.put("state_key", stateKey);
        Room.Entry entry = room.append(model.next(), event, device, txnId);
        listener.appended(room, entry);
        model.changed();
        return entry;
    }

    private static Map<String, JsonObject> initialState(Object value) {
        Map<String, JsonObject> out = new LinkedHashMap<>();
        if (value == null) return out;
        if (!(value instanceof JsonArray list)) throw Http.badJson("initial_state must be a list");
        for (Object item : list) {
            if (!(item instanceof JsonObject e) || !(e.getValue("type") instanceof String type)
                    || !(e.getValue("content") instanceof JsonObject content)) {
                throw Http.badJson("initial_state entries need a type and a content object");
            }
            out.put(key(type, e.getValue("state_key") instanceof String k ? k : ""), content);
        }
        return out;
    }

    private static String key(String type, String stateKey) {
        return type + "\u0000" + stateKey;
    }

    static List<String> strings(Object value, String field) {
        if (value == null) return List.of();
        if (!(value instanceof JsonArray list) || !list.stream().allMatch(String.class::isInstance)) {
            throw Http.badJson(field + " must be a list of strings");
        }
        return list.stream().map(String.class::cast).toList();
    }

    private static JsonObject object(JsonObject request, String field) {
        Object value = request.getValue(field);
        if (value == null) return null;
        if (!(value instanceof JsonObject o)) throw Http.badJson(field + " must be an object");
        return o;
    }

    /** Synapse's room creation presets. */
    private record Preset(String joinRule, boolean guestCanJoin, boolean invitesAreOps, Integer invite) {
        static Preset of(JsonObject request) {
            Object preset = request.getValue("preset");
            if (preset == null) preset = "public".equals(request.getValue("visibility")) ? "public_chat" : "private_chat";
            return switch (String.valueOf(preset)) {
                case "private_chat" -> new Preset("invite", true, false, 0);
                case "trusted_private_chat" -> new Preset("invite", true, true, 0);
                case "public_chat" -> new Preset("public", false, false, null);
                default -> throw Http.badJson("'" + preset + "' is not a valid preset");
            };
        }

        /** Synapse's default power levels, then the preset's, then the request's override. */
        JsonObject powerLevels(String creator, List<String> invitees, JsonObject override) {
            JsonObject users = new JsonObject().put(creator, 100);
            if (invitesAreOps) invitees.forEach(i -> users.put(i, 100));
            JsonObject events = new JsonObject().put("m.room.name", 50).put("m.room.power_levels", 100)
                    .put("m.room.history_visibility", 100).put("m.room.canonical_alias", 50)
                    .put("m.room.avatar", 50).put("m.room.tombstone", 100).put("m.room.server_acl", 100)
                    .put("m.room.encryption", 100);
            JsonObject levels = new JsonObject().put("users", users).put("users_default", 0).put("events", events)
                    .put("events_default", 0).put("state_default", 50).put("ban", 50).put("kick", 50)
                    .put("redact", 50).put("invite", invite == null ? 50 : invite).put("historical", 100);
            if (override != null) override.forEach(e -> levels.put(e.getKey(), e.getValue()));
            return levels;
        }
    }
}
