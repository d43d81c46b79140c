package org.conclave.tests.homeserver;

import static org.conclave.tests.homeserver.Routes.Auth.USER;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The room side of the client-server API: creating rooms, membership ({@code invite}, {@code join}, {@code leave},
 * {@code kick}, {@code ban}, {@code unban}), sending (idempotent per transaction id), state, members, history
 * ({@code /messages}, {@code /event}), receipts, read markers and typing. Every change goes through {@link RoomAuth}.
 */
final class RoomApi {
    private static final int DEFAULT_MESSAGES_LIMIT = 10;

    private final Model model;

    RoomApi(Model model) {
        this.model = model;
    }

    void register(Routes r) {
        r.locked("POST", "/createRoom", USER, c -> new JsonObject()
                .put("room_id", model.rooms.create(c.user(), c.body())));
        r.locked("POST", "/join/{roomIdOrAlias}", USER, c -> join(c, c.param(0)));
        r.locked("POST", "/rooms/{roomId}/join", USER, c -> join(c, c.param(0)));
        r.locked("POST", "/rooms/{roomId}/leave", USER, c -> member(c, c.user(), "leave"));
        r.locked("POST", "/rooms/{roomId}/invite", USER, c -> member(c, target(c), "invite"));
        r.locked("POST", "/rooms/{roomId}/kick", USER, c -> member(c, target(c), "leave"));
        r.locked("POST", "/rooms/{roomId}/ban", USER, c -> member(c, target(c), "ban"));
        r.locked("POST", "/rooms/{roomId}/unban", USER, c -> {
            if (!model.rooms.room(c.param(0)).membership(target(c)).equals("ban")) {
                throw Http.forbidden(target(c) + " is not banned");
            }
            return member(c, target(c), "leave");
        });
        r.locked("PUT", "/rooms/{roomId}/send/{type}/{txnId}", USER, c -> new JsonObject().put("event_id",
                model.rooms.sendOnce(c.requester().txnScope(), c.user(), c.param(0), c.param(1), c.body(),
                        c.requester().deviceId(), c.param(2))));
        r.locked("PUT", "/rooms/{roomId}/state/{type}", USER, c -> putState(c, ""));
        r.locked("PUT", "/rooms/{roomId}/state/{type}/{stateKey}", USER, c -> putState(c, c.param(2)));
        r.locked("GET", "/rooms/{roomId}/state/{type}", USER, c -> getState(c, ""));
        r.locked("GET", "/rooms/{roomId}/state/{type}/{stateKey}", USER, c -> getState(c, c.param(2)));
        r.locked("GET", "/rooms/{roomId}/state", USER, c -> {
            Room room = readable(c);
            JsonArray state = new JsonArray();
            room.stateEvents().forEach(e -> state.add(client(room, e, c)));
            return state;
        });
        r.locked("GET", "/rooms/{roomId}/members", USER, this::members);
        r.locked("GET", "/rooms/{roomId}/joined_members", USER, c -> {
            Room room = readable(c);
            JsonObject joined = new JsonObject();
            for (String user : room.members("join")) {
                JsonObject content = room.state("m.room.member", user).getJsonObject("content");
                joined.put(user, new JsonObject().put("display_name", content.getString("displayname"))
                        .put("avatar_url", content.getString("avatar_url")));
            }
            return new JsonObject().put("joined", joined);
        });
        r.locked("GET", "/joined_rooms", USER, c -> new JsonObject().put("joined_rooms", new JsonArray(
                model.rooms.withMembership(c.user(), "join").stream().map(Room::roomId).toList())));
        r.locked("GET", "/rooms/{roomId}/messages", USER, this::messages);
        r.locked("GET", "/rooms/{roomId}/event/{eventId}", USER, c -> {
            Room room = readable(c);
            Room.Entry entry = room.entry(c.param(1));
            if (entry == null) throw Http.notFound("Could not find event " + c.param(1));
            return entry.client(c.requester().deviceId(), System.currentTimeMillis(), false);
        });
        receipts(r);
    }

    private JsonObject join(Routes.Call c, String roomIdOrAlias) {
        if (roomIdOrAlias.startsWith("#")) throw Http.notFound("Room alias " + roomIdOrAlias + " not found");
        Room room = model.rooms.room(roomIdOrAlias);
        if (!room.membership(c.user()).equals("join")) {
            JsonObject content = new JsonObject().put("membership", "join");
            String name = model.users.displayName(c.user());
            if (name != null) content.put("displayname", name);
            model.rooms.send(c.user(), room.roomId(), "m.room.member", c.user(), content, c.requester().deviceId(),
                    null);
        }
        return new JsonObject().put("room_id", room.roomId());
    }

    private static String target(Routes.Call c) {
        if (!(c.body().getValue("user_id") instanceof String target)) {
            throw new MatrixFailure(400, "M_MISSING_PARAM", "Missing user_id");
        }
        return target;
    }

    private JsonObject member(Routes.Call c, String target, String membership) {
        JsonObject content = new JsonObject().put("membership", membership);
        if (c.body().getValue("reason") instanceof String reason) content.put("reason", reason);
        model.rooms.send(c.user(), c.param(0), "m.room.member", target, content, c.requester().deviceId(), null);
        return new JsonObject();
    }

    private JsonObject putState(Routes.Call c, String stateKey) {
        return new JsonObject().put("event_id", model.rooms.send(c.user(), c.param(0), c.param(1), stateKey,
                c.body(), c.requester().deviceId(), null).event().getString("event_id"));
    }

    private JsonObject getState(Routes.Call c, String stateKey) {
        Room room = model.rooms.room(c.param(0));
        RoomAuth.requireJoined(room, c.user());
        JsonObject event = room.state(c.param(1), stateKey);
        if (event == null) throw Http.notFound("Event not found.");
        return event.getJsonObject("content").copy();
    }

    /** The room, if the user is or was in it (history visibility "shared"). */
    private Room readable(Routes.Call c) {
        Room room = model.rooms.room(c.param(0));
        String membership = room.membership(c.user());
        if (!membership.equals("join") && room.memberEntry(c.user()) == null) {
            throw Http.forbidden("User " + c.user() + " not in room " + room.roomId()
                    + ", and room previews are disabled");
        }
        return room;
    }

    /** Events a former member may see end at their leave. */
    private static long visibleUntil(Room room, String userId, long position) {
        Room.Entry member = room.memberEntry(userId);
        return room.membership(userId).equals("join") || member == null ? position : Math.min(position, member.position());
    }

    private JsonObject members(Routes.Call c) {
        Room room = readable(c);
        String membership = c.query("membership");
        String not = c.query("not_membership");
        JsonArray chunk = new JsonArray();
        for (JsonObject e : room.memberEvents()) {
            String m = e.getJsonObject("content").getString("membership");
            if (membership != null && !membership.equals(m) || not != null && not.equals(m)) continue;
            chunk.add(client(room, e, c));
        }
        return new JsonObject().put("chunk", chunk);
    }

    private JsonObject client(Room room, JsonObject event, Routes.Call c) {
        return room.entry(event.getString("event_id")).client(c.requester().deviceId(), System.currentTimeMillis(),
                false);
    }

    /** {@code GET /messages}: tokens are stream positions ({@code s…} from sync, {@code t…} from here). */
    private JsonObject messages(Routes.Call c) {
        Room room = readable(c);
        boolean backwards = !"f".equals(c.query("dir"));
        int limit = c.query("limit") == null ? DEFAULT_MESSAGES_LIMIT : parseInt(c.query("limit"), "limit");
        long end = visibleUntil(room, c.user(), model.position());
        long from = c.query("from") == null ? (backwards ? end : 0) : Math.min(token(c.query("from")), end);
        List<Room.Entry> events = backwards ? room.between(Long.MIN_VALUE, from) : room.between(from, end);
        JsonArray chunk = new JsonArray();
        long now = System.currentTimeMillis();
        int n = Math.min(limit, events.size());
        List<Room.Entry> page = new ArrayList<>(backwards ? events.subList(events.size() - n, events.size())
                : events.subList(0, n));
        if (backwards) Collections.reverse(page);
        page.forEach(e -> chunk.add(e.client(c.requester().deviceId(), now, false)));
        JsonObject reply = new JsonObject().put("chunk", chunk).put("start", "t" + from);
        if (n < events.size() || !backwards && n > 0) {
            Room.Entry last = page.get(page.size() - 1);
            reply.put("end", "t" + (backwards ? last.position() - 1 : last.position()));
        }
        return reply;
    }

    static long token(String token) {
        if (token.length() > 1 && (token.charAt(0) == 's' || token.charAt(0) == 't')) {
            try {
                return Long.parseLong(token.substring(1));
            } catch (NumberFormatException e) {
                // fall through
            }
        }
        throw invalidToken(token);
    }

    private static MatrixFailure invalidToken(String token) {
        return new MatrixFailure(400, "M_INVALID_PARAM", "Invalid stream token " + token);
    }

    private static int parseInt(String value, String name) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw Http.invalidParam("Query parameter " + name + " must be an integer");
        }
    }

    private void receipts(Routes r) {
        r.locked("POST", "/rooms/{roomId}/receipt/{receiptType}/{eventId}", USER, c -> {
            String type = c.param(1);
            if (!List.of("m.read", "m.read.private", "m.fully_read").contains(type)) {
                throw Http.invalidParam("Receipt type must be 'm.read', 'm.read.private' or 'm.fully_read'");
            }
            readMarker(c, type, c.param(2));
            return new JsonObject();
        });
        r.locked("POST", "/rooms/{roomId}/read_markers", USER, c -> {
            JsonObject body = c.body();
            for (String type : List.of("m.fully_read", "m.read", "m.read.private")) {
                if (body.getValue(type) instanceof String eventId) readMarker(c, type, eventId);
            }
            return new JsonObject();
        });
        r.locked("PUT", "/rooms/{roomId}/typing/{userId}", USER, c -> {
            if (!c.param(1).equals(c.user())) throw Http.forbidden("Cannot set another user's typing state");
            RoomAuth.requireJoined(model.rooms.room(c.param(0)), c.user());
            if (!(c.body().getValue("typing") instanceof Boolean typing)) {
                throw new MatrixFailure(400, "M_MISSING_PARAM", "Missing typing");
            }
            model.accountData.typing(c.param(0), c.user(), typing);
            return new JsonObject();
        });
    }

    private void readMarker(Routes.Call c, String type, String eventId) {
        Room room = model.rooms.room(c.param(0));
        RoomAuth.requireJoined(room, c.user());
        if (room.entry(eventId) == null) throw Http.notFound("Could not find event " + eventId);
        if (type.equals("m.fully_read")) {
            model.accountData.put(c.user(), room.roomId(), "m.fully_read", new JsonObject().put("event_id", eventId));
        } else {
            model.accountData.receipt(room.roomId(), c.user(), type, eventId);
        }
    }
}
