package org.conclave.appservice.call;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.conclave.appservice.intent.MatrixHttpException;

/**
 * The bot's side of the client-server API without HTTP: records what the bot sends, in order ({@link Sent}), serves
 * each room's state from what the test put there, answers 403 for rooms the bot is not in and for state events the
 * test forbids. While {@link #hold} is set, sends stay open until {@link #release}: a slow homeserver. Confined to the
 * rig's Vert.x context, except the accessors, which are synchronized.
 */
final class FakeHomeserver implements BotClient {
    /**
     * One request of the bot.
     *
     * @param kind {@code event}, {@code state}, {@code to-device}, {@code join}, {@code leave}
     * @param target the room, or for to-device the user and device ("@u:hs DEV")
     */
    record Sent(String kind, String target, String type, String stateKey, JsonObject content, String txnId) {
        String body() {
            return content.getString("body", "");
        }
    }

    private final List<Sent> sent = new ArrayList<>();
    private final Map<String, List<JsonObject>> state = new HashMap<>();
    private final List<String> forbiddenStateTypes = new ArrayList<>();
    private final List<Promise<Void>> held = new ArrayList<>();
    private final AtomicInteger fetches = new AtomicInteger();
    volatile boolean hold;

    /** The room's state as GET /state answers it (the bot is in the room). */
    synchronized void room(String roomId, List<JsonObject> events) {
        state.put(roomId, new ArrayList<>(events));
    }

    /** A state event the homeserver took (before it pushes it): later GETs of the room's state include it. */
    synchronized void applied(JsonObject event) {
        List<JsonObject> events = state.get(event.getString("room_id"));
        if (events == null || !(event.getValue("state_key") instanceof String key)) return;
        events.removeIf(e -> e.getString("type").equals(event.getString("type")) && key.equals(e.getString("state_key")));
        events.add(event.copy());
    }

    /** State events of this type are refused with 403 (the bot lacks the power). */
    synchronized void forbidState(String type) {
        forbiddenStateTypes.add(type);
    }

    synchronized List<Sent> sent() {
        return List.copyOf(sent);
    }

    synchronized List<Sent> sent(Predicate<Sent> match) {
        return sent.stream().filter(match).toList();
    }

    int fetches() {
        return fetches.get();
    }

    /** Completes the held sends, in order. */
    void release() {
        List<Promise<Void>> open;
        synchronized (this) {
            hold = false;
            open = new ArrayList<>(held);
            held.clear();
        }
        open.forEach(Promise::complete);
    }

    Future<List<JsonObject>> fetch(String roomId) {
        fetches.incrementAndGet();
        synchronized (this) {
            List<JsonObject> events = state.get(roomId);
            if (events == null) return Future.failedFuture(forbidden("GET /rooms/" + roomId + "/state"));
            return Future.succeededFuture(List.copyOf(events));
        }
    }

    @Override
    public Future<String> sendEvent(String roomId, String type, JsonObject content, String txnId) {
        return record(new Sent("event", roomId, type, null, content.copy(), txnId)).map("$e");
    }

    @Override
    public Future<String> sendState(String roomId, String type, String stateKey, JsonObject content) {
        synchronized (this) {
            if (forbiddenStateTypes.contains(type)) {
                sent.add(new Sent("refused-state", roomId, type, stateKey, content.copy(), null));
                return Future.failedFuture(forbidden("PUT /state/" + type));
            }
        }
        return record(new Sent("state", roomId, type, stateKey, content.copy(), null)).map("$s");
    }

    @Override
    public Future<Void> sendToDevice(String type, String txnId, String userId, String deviceId, JsonObject content) {
        return record(new Sent("to-device", userId + " " + deviceId, type, null, content.copy(), txnId));
    }

    @Override
    public Future<String> join(String roomId) {
        return record(new Sent("join", roomId, null, null, new JsonObject(), null)).map(roomId);
    }

    @Override
    public Future<Void> leave(String roomId, String reason) {
        return record(new Sent("leave", roomId, null, null, new JsonObject().put("reason", reason), null));
    }

    @Override
    public synchronized Future<List<String>> joinedRooms() {
        return Future.succeededFuture(List.copyOf(state.keySet()));
    }

    private synchronized Future<Void> record(Sent s) {
        sent.add(s);
        if (!hold) return Future.succeededFuture();
        Promise<Void> open = Promise.promise();
        held.add(open);
        return open.future();
    }

    private static MatrixHttpException forbidden(String request) {
        return new MatrixHttpException(request, 403, "M_FORBIDDEN", "forbidden", new JsonObject(), 1, null);
    }
}
