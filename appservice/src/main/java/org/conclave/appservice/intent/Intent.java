package org.conclave.appservice.intent;

import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The client-server API acting as one user of the appservice's namespace (identity assertion with
 * {@code ?user_id=}). Every method returns at once; futures fail with {@link MatrixHttpException}.
 */
public final class Intent {
    private static final String REGISTER = Paths.V3 + "/register";

    private final HomeserverClient client;
    private final String userId;

    Intent(HomeserverClient client, String userId) {
        this.client = client;
        this.userId = Objects.requireNonNull(userId, "userId");
    }

    public String userId() {
        return userId;
    }

    /**
     * Creates the user ({@code POST /register}, type {@code m.login.application_service}); a user that already
     * exists ({@code M_USER_IN_USE}) is success. No device or access token is created ({@code inhibit_login}).
     */
    public Future<Void> ensureRegistered() {
        JsonObject body = new JsonObject().put("type", "m.login.application_service")
                .put("username", localpart(userId)).put("inhibit_login", true);
        // Registration is account management: no user_id assertion (spec, "Identity assertion").
        return client.request(HttpMethod.POST, REGISTER, null, body)
                .<Void>mapEmpty()
                .recover(e -> e instanceof MatrixHttpException m && m.is("M_USER_IN_USE")
                        ? Future.succeededFuture() : Future.failedFuture(e));
    }

    /** The user's display name, or null if none is set. */
    public Future<String> displayName() {
        return client.request(HttpMethod.GET, profilePath(), userId, null)
                .map(body -> body.getValue("displayname") instanceof String name ? name : null)
                .recover(e -> e instanceof MatrixHttpException m && m.status() == 404
                        ? Future.succeededFuture(null) : Future.failedFuture(e));
    }

    /**
     * Sets the display name unless it already is that: a change rewrites the user's membership in every joined room,
     * so it must not happen on every start.
     */
    public Future<Void> setDisplayName(String name) {
        return displayName().compose(current -> name.equals(current) ? Future.succeededFuture()
                : client.request(HttpMethod.PUT, profilePath(), userId, new JsonObject().put("displayname", name))
                        .mapEmpty());
    }

    /** Joins a room (by id or alias); returns the room id. Joining a room one is in already succeeds. */
    public Future<String> join(String roomIdOrAlias) {
        return client.request(HttpMethod.POST, Paths.V3 + "/join/" + Paths.segment(roomIdOrAlias), userId,
                new JsonObject()).map(body -> body.getString("room_id", roomIdOrAlias));
    }

    public Future<Void> leave(String roomId) {
        return leave(roomId, null);
    }

    /** Leaves a room or rejects an invite; {@code reason} (may be null) is shown to the room's members. */
    public Future<Void> leave(String roomId, String reason) {
        JsonObject body = reason == null ? new JsonObject() : new JsonObject().put("reason", reason);
        return client.request(HttpMethod.POST, Paths.V3 + "/rooms/" + Paths.segment(roomId) + "/leave", userId, body)
                .mapEmpty();
    }

    /**
     * Sends a message event; returns its event id. {@code txnId} must be the same for every try of one logical send
     * ({@link TxnIds#derived}), so that a retry after a lost answer or a restart is not sent twice.
     */
    public Future<String> sendEvent(String roomId, String type, JsonObject content, String txnId) {
        String path = Paths.V3 + "/rooms/" + Paths.segment(roomId) + "/send/" + Paths.segment(type) + "/"
                + Paths.segment(txnId);
        return client.request(HttpMethod.PUT, path, userId, content).map(body -> body.getString("event_id"));
    }

    /** Sets a state event; returns its event id. Repeating it with the same content changes nothing. */
    public Future<String> sendStateEvent(String roomId, String type, String stateKey, JsonObject content) {
        return client.request(HttpMethod.PUT, statePath(roomId, type, stateKey), userId, content)
                .map(body -> body.getString("event_id"));
    }

    /** A state event's content, or null if the room has no such state. */
    public Future<JsonObject> stateEvent(String roomId, String type, String stateKey) {
        return client.request(HttpMethod.GET, statePath(roomId, type, stateKey), userId, null)
                .recover(e -> e instanceof MatrixHttpException m && m.status() == 404 && m.is("M_NOT_FOUND")
                        ? Future.succeededFuture(null) : Future.failedFuture(e));
    }

    /** The room's whole current state ({@code GET /rooms/{roomId}/state}): its state events, client format. */
    public Future<List<JsonObject>> roomState(String roomId) {
        return client.requestList(HttpMethod.GET, Paths.V3 + "/rooms/" + Paths.segment(roomId) + "/state", userId)
                .map(Intent::objects);
    }

    /**
     * Sends one to-device message ({@code PUT /sendToDevice/{type}/{txnId}}) to one device of one user. As with
     * {@link #sendEvent}, {@code txnId} must be the same for every try of one logical send.
     */
    public Future<Void> sendToDevice(String type, String txnId, String toUserId, String toDeviceId,
            JsonObject content) {
        JsonObject messages = new JsonObject().put(toUserId, new JsonObject().put(toDeviceId, content));
        return client.request(HttpMethod.PUT, Paths.V3 + "/sendToDevice/" + Paths.segment(type) + "/"
                + Paths.segment(txnId), userId, new JsonObject().put("messages", messages)).mapEmpty();
    }

    /**
     * Makes sure the user has the device {@code deviceId} (homeservers deliver to-device messages only to devices
     * that exist): an appservice login ({@code m.login.application_service}, spec v1.2) with that device id, which
     * creates the device or reuses it. The access token it returns is not kept: requests use the as_token.
     */
    public Future<Void> ensureDevice(String deviceId, String displayName) {
        JsonObject body = new JsonObject().put("type", "m.login.application_service")
                .put("identifier", new JsonObject().put("type", "m.id.user").put("user", userId))
                .put("device_id", deviceId).put("initial_device_display_name", displayName);
        // Login is account management like registration: no user_id assertion.
        return client.request(HttpMethod.POST, Paths.V3 + "/login", null, body).mapEmpty();
    }

    /** The rooms this user has joined ({@code GET /joined_rooms}). */
    public Future<List<String>> joinedRooms() {
        return client.request(HttpMethod.GET, Paths.V3 + "/joined_rooms", userId, null).map(body -> {
            List<String> rooms = new ArrayList<>();
            if (body.getValue("joined_rooms") instanceof JsonArray list) {
                for (Object o : list) if (o instanceof String room) rooms.add(room);
            }
            return rooms;
        });
    }

    /** The room's {@code m.room.member} events (every membership), as the homeserver returns them. */
    public Future<List<JsonObject>> members(String roomId) {
        return client.request(HttpMethod.GET, Paths.V3 + "/rooms/" + Paths.segment(roomId) + "/members", userId,
                null).map(body -> body.getValue("chunk") instanceof JsonArray chunk ? objects(chunk) : List.of());
    }

    private static List<JsonObject> objects(JsonArray array) {
        List<JsonObject> objects = new ArrayList<>(array.size());
        for (Object item : array) {
            if (item instanceof JsonObject o) objects.add(o);
        }
        return objects;
    }

    /** Who the homeserver thinks this intent is (checks the token and the assertion). */
    public Future<String> whoami() {
        return client.request(HttpMethod.GET, Paths.V3 + "/account/whoami", userId, null)
                .map(body -> body.getString("user_id"));
    }

    private String profilePath() {
        return Paths.V3 + "/profile/" + Paths.segment(userId) + "/displayname";
    }

    private static String statePath(String roomId, String type, String stateKey) {
        // An empty state key is a trailing empty segment: .../state/m.room.name/
        return Paths.V3 + "/rooms/" + Paths.segment(roomId) + "/state/" + Paths.segment(type) + "/"
                + Paths.segment(stateKey);
    }

    static String localpart(String userId) {
        int colon = userId.indexOf(':');
        return userId.substring(1, colon < 0 ? userId.length() : colon);
    }
}
