package org.conclave.tests.homeserver;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Builds one {@code /sync} response for one device, from {@code since} (0 = initial sync) to the stream's current
 * position, the way Synapse shapes it: rooms by membership (joined rooms with state before the timeline, a limited
 * timeline with {@code prev_batch}, receipts and typing, room account data, unread counts and summary; invites with
 * stripped state; rooms left since), account data, to-device messages (those {@code since} acknowledges are
 * deleted), device-list changes of users sharing a room, one-time key counts and unused fallback key types,
 * presence. Caller holds the {@link Model}'s lock.
 */
final class Sync {
    /** Synapse's default {@code timeline.limit}. */
    static final int DEFAULT_TIMELINE_LIMIT = 10;
    private static final List<String> STRIPPED = List.of("m.room.create", "m.room.join_rules", "m.room.name",
            "m.room.avatar", "m.room.canonical_alias", "m.room.encryption", "m.room.topic");
    private static final int HEROES = 5;

    /** What a sync asks for: {@code filter} as far as the double honours it, and {@code full_state}. */
    record Request(long since, boolean fullState, int timelineLimit, boolean includeLeave) {
        boolean initial() {
            return since == 0;
        }
    }

    /** The response and whether it carries nothing new (a long-poll keeps waiting). */
    record Result(JsonObject body, boolean empty) {}

    private final Model model;
    private final Users.Session session;
    private final Request request;
    private final long to;
    private final long now = System.currentTimeMillis();

    private Sync(Model model, Users.Session session, Request request) {
        this.model = model;
        this.session = session;
        this.request = request;
        this.to = model.position();
    }

    static Result build(Model model, Users.Session session, Request request) {
        return new Sync(model, session, request).build();
    }

    private Result build() {
        String me = session.userId();
        long since = request.since();
        JsonObject join = new JsonObject();
        JsonObject invite = new JsonObject();
        JsonObject leave = new JsonObject();
        for (Room room : model.rooms.all()) {
            String membership = room.membership(me);
            Room.Entry member = room.memberEntry(me);
            if (membership.equals("join")) {
                JsonObject joined = joined(room);
                if (joined != null) join.put(room.roomId(), joined);
            } else if (membership.equals("invite") && member.position() > since) {
                invite.put(room.roomId(), new JsonObject().put("invite_state",
                        new JsonObject().put("events", strippedState(room))));
            } else if (member != null && member.position() > since && member.position() <= to
                    && (request.initial() ? request.includeLeave() : !room.membershipAt(me, since).equals("leave"))) {
                leave.put(room.roomId(), left(room, member));
            }
        }
        List<JsonObject> toDevice = model.toDevice.read(me, session.deviceId(), since, to);
        JsonObject deviceLists = deviceLists();
        JsonArray accountData = model.accountData.changed(me, null, since, to);
        JsonArray presence = model.accountData.presenceEvents(u -> model.rooms.shareRoom(me, u), since, to);
        JsonObject body = new JsonObject().put("next_batch", "s" + to)
                .put("rooms", new JsonObject().put("join", join).put("invite", invite).put("leave", leave)
                        .put("knock", new JsonObject()))
                .put("account_data", new JsonObject().put("events", accountData))
                .put("to_device", new JsonObject().put("events", new JsonArray(List.copyOf(toDevice))))
                .put("device_lists", deviceLists)
                .put("device_one_time_keys_count", model.keys.oneTimeKeyCounts(me, session.deviceId()))
                .put("device_unused_fallback_key_types", model.keys.unusedFallbackKeyTypes(me, session.deviceId()))
                .put("org.matrix.msc2732.device_unused_fallback_key_types",
                        model.keys.unusedFallbackKeyTypes(me, session.deviceId()))
                .put("presence", new JsonObject().put("events", presence));
        boolean empty = join.isEmpty() && invite.isEmpty() && leave.isEmpty() && toDevice.isEmpty()
                && deviceLists.getJsonArray("changed").isEmpty() && deviceLists.getJsonArray("left").isEmpty()
                && accountData.isEmpty() && presence.isEmpty();
        return new Result(body, empty);
    }

    /** A joined room's section, or null when nothing changed in it since the token. */
    private JsonObject joined(Room room) {
        String me = session.userId();
        boolean full = request.initial() || request.fullState() || !room.membershipAt(me, request.since()).equals("join");
        long from = full ? 0 : request.since();
        List<Room.Entry> events = room.between(full ? Long.MIN_VALUE : request.since(), to);
        JsonObject receipts = model.accountData.receiptEdu(room.roomId(), me, from, to);
        JsonObject typing = model.accountData.typingEdu(room.roomId(), from, to);
        JsonArray roomData = model.accountData.changed(me, room.roomId(), from, to);
        if (!full && events.isEmpty() && receipts == null && typing == null && roomData.isEmpty()) return null;
        boolean limited = events.size() > request.timelineLimit();
        List<Room.Entry> timeline = limited ? events.subList(events.size() - request.timelineLimit(), events.size())
                : events;
        long start = timeline.isEmpty() ? to : timeline.get(0).position() - 1;
        JsonArray state = new JsonArray();
        for (Room.Entry e : room.stateAt(start)) {
            if (full || e.position() > request.since()) state.add(client(e));
        }
        JsonArray ephemeral = new JsonArray();
        if (receipts != null) ephemeral.add(receipts);
        if (typing != null) ephemeral.add(typing);
        return new JsonObject()
                .put("timeline", new JsonObject().put("events", clients(timeline)).put("limited", limited)
                        .put("prev_batch", "t" + start))
                .put("state", new JsonObject().put("events", state))
                .put("account_data", new JsonObject().put("events", roomData))
                .put("ephemeral", new JsonObject().put("events", ephemeral))
                .put("unread_notifications", new JsonObject().put("highlight_count", 0)
                        .put("notification_count", unread(room)))
                .put("summary", summary(room));
    }

    private JsonObject left(Room room, Room.Entry member) {
        boolean wasJoined = room.membershipAt(session.userId(), request.since()).equals("join");
        List<Room.Entry> events = wasJoined ? room.between(request.since(), member.position()) : List.of(member);
        long start = events.get(0).position() - 1;
        return new JsonObject()
                .put("timeline", new JsonObject().put("events", clients(events)).put("limited", false)
                        .put("prev_batch", "t" + start))
                .put("state", new JsonObject().put("events", new JsonArray()))
                .put("account_data", new JsonObject().put("events", new JsonArray()));
    }

    private JsonArray strippedState(Room room) {
        JsonArray events = new JsonArray();
        for (String type : STRIPPED) {
            JsonObject e = room.state(type, "");
            if (e != null) events.add(stripped(e));
        }
        JsonObject invite = room.state("m.room.member", session.userId());
        JsonObject inviter = room.state("m.room.member", invite.getString("sender"));
        if (inviter != null) events.add(stripped(inviter));
        return events.add(client(room.memberEntry(session.userId())));
    }

    private static JsonObject stripped(JsonObject e) {
        return new JsonObject().put("type", e.getString("type")).put("state_key", e.getString("state_key"))
                .put("sender", e.getString("sender")).put("content", e.getJsonObject("content").copy());
    }

    /** Messages from others after the user's read receipt (or all of them in the room when none). */
    private int unread(Room room) {
        String me = session.userId();
        String read = model.accountData.receiptOf(room.roomId(), me, "m.read");
        Room.Entry readEntry = read == null ? null : room.entry(read);
        long after = readEntry == null ? 0 : readEntry.position();
        return (int) room.between(after, to).stream().filter(e -> !e.event().getString("sender").equals(me))
                .filter(e -> e.type().equals("m.room.message") || e.type().equals("m.room.encrypted")).count();
    }

    private JsonObject summary(Room room) {
        String me = session.userId();
        List<String> joined = room.members("join");
        List<String> invited = room.members("invite");
        JsonArray heroes = new JsonArray();
        joined.stream().filter(u -> !u.equals(me)).sorted().limit(HEROES).forEach(heroes::add);
        if (heroes.isEmpty()) invited.stream().filter(u -> !u.equals(me)).sorted().limit(HEROES).forEach(heroes::add);
        return new JsonObject().put("m.heroes", heroes).put("m.joined_member_count", joined.size())
                .put("m.invited_member_count", invited.size());
    }

    /**
     * Users whose device list the client should (re)fetch ({@code changed}): those sharing a room whose keys changed,
     * members of rooms the user joined, users who joined a room the user is in; and those it no longer shares any
     * room with ({@code left}). Empty on an initial sync, as Synapse.
     */
    private JsonObject deviceLists() {
        Set<String> changed = new LinkedHashSet<>();
        Set<String> left = new LinkedHashSet<>();
        String me = session.userId();
        long since = request.since();
        if (!request.initial()) {
            for (String user : model.keys.changedBetween(since, to)) {
                if (model.rooms.shareRoom(me, user)) changed.add(user);
            }
            Set<String> movers = new LinkedHashSet<>();
            for (Room room : model.rooms.all()) {
                boolean wasIn = room.membershipAt(me, since).equals("join");
                boolean isIn = room.membership(me).equals("join");
                if (isIn && !wasIn) changed.addAll(room.members("join"));
                if (wasIn && !isIn) movers.addAll(membersAt(room, since));
                if (!wasIn && !isIn) continue;
                for (Room.Entry e : room.between(since, to)) {
                    if (!e.type().equals("m.room.member")) continue;
                    String user = e.stateKey();
                    if (isIn && room.membership(user).equals("join")) changed.add(user);
                    else movers.add(user);
                }
            }
            for (String user : movers) {
                if (!model.rooms.shareRoom(me, user) && sharedAt(user, since)) left.add(user);
            }
        }
        changed.removeAll(left);
        return new JsonObject().put("changed", new JsonArray(List.copyOf(changed)))
                .put("left", new JsonArray(List.copyOf(left)));
    }

    private List<String> membersAt(Room room, long position) {
        return room.memberEvents().stream().map(e -> e.getString("state_key"))
                .filter(u -> room.membershipAt(u, position).equals("join")).toList();
    }

    private boolean sharedAt(String user, long position) {
        String me = session.userId();
        return model.rooms.all().stream().anyMatch(r -> r.membershipAt(me, position).equals("join")
                && r.membershipAt(user, position).equals("join"));
    }

    private JsonObject client(Room.Entry e) {
        return e.client(session.deviceId(), now, true);
    }

    private JsonArray clients(List<Room.Entry> entries) {
        JsonArray out = new JsonArray();
        entries.forEach(e -> out.add(client(e)));
        return out;
    }
}
