package org.conclave.tests.homeserver;

import io.vertx.core.json.JsonObject;

/**
 * An ordinary Matrix user of the {@link HomeserverDouble}, acting in-process (what a chat client would do over the
 * client-server API). Refused actions throw {@link MatrixFailure} like the homeserver would answer.
 */
public final class ScriptedClient {
    private final HomeserverDouble hs;
    private final String userId;

    ScriptedClient(HomeserverDouble hs, String userId) {
        this.hs = hs;
        this.userId = userId;
    }

    public String userId() {
        return userId;
    }

    /** Creates a room (the creator joins with power level 100); returns its id. */
    public String createRoom(RoomOptions options) {
        return hs.createRoom(userId, options);
    }

    public String invite(String roomId, String invitee) {
        return hs.send(userId, roomId, "m.room.member", invitee, new JsonObject().put("membership", "invite"));
    }

    public String join(String roomId) {
        return hs.send(userId, roomId, "m.room.member", userId, new JsonObject().put("membership", "join"));
    }

    public String leave(String roomId) {
        return hs.send(userId, roomId, "m.room.member", userId, new JsonObject().put("membership", "leave"));
    }

    public String kick(String roomId, String target) {
        return hs.send(userId, roomId, "m.room.member", target, new JsonObject().put("membership", "leave"));
    }

    /** Sends a message event; returns its event id. */
    public String send(String roomId, String type, JsonObject content) {
        return hs.send(userId, roomId, type, null, content);
    }

    public String sendText(String roomId, String text) {
        return send(roomId, "m.room.message", new JsonObject().put("msgtype", "m.text").put("body", text));
    }

    public String sendState(String roomId, String type, String stateKey, JsonObject content) {
        return hs.send(userId, roomId, type, stateKey, content);
    }

    /** Sends one to-device message to one device of a user (the double's or the appservice's). */
    public void sendToDevice(String type, String toUser, String toDevice, JsonObject content) {
        hs.sendToDevice(userId, type, "t" + Http.random(12), new JsonObject().put("messages",
                new JsonObject().put(toUser, new JsonObject().put(toDevice, content))));
    }

    /** Sets one user's power level, keeping the rest of the room's levels. */
    public String setPowerLevel(String roomId, String target, int level) {
        JsonObject levels = hs.state(roomId, "m.room.power_levels", "").getJsonObject("content");
        levels.getJsonObject("users").put(target, level);
        return sendState(roomId, "m.room.power_levels", "", levels);
    }
}
