package org.conclave.tests.homeserver;

import static org.conclave.tests.homeserver.Routes.Auth.USER;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashSet;
import java.util.Set;

/**
 * The end-to-end encryption endpoints ({@code /keys/*}, {@code /room_keys/version}, {@code /sendToDevice},
 * {@code /devices}). Uploading cross-signing keys needs user-interactive auth (password) once the user has a master
 * key; the first upload does not (Synapse since MSC3967).
 */
final class KeysApi {
    private final Model model;
    private final Set<String> uiaSessions = new HashSet<>();

    KeysApi(Model model) {
        this.model = model;
    }

    void register(Routes r) {
        r.locked("POST", "/keys/upload", USER, c -> model.keys.upload(c.user(), device(c), c.body()));
        r.locked("POST", "/keys/query", USER, c -> model.keys.query(c.user(), c.body()));
        r.locked("POST", "/keys/claim", USER, c -> model.keys.claim(c.body()));
        r.locked("GET", "/keys/changes", USER, c -> {
            long from = RoomApi.token(required(c, "from"));
            long to = RoomApi.token(required(c, "to"));
            JsonArray changed = new JsonArray();
            model.keys.changedBetween(from, to).stream().filter(u -> model.rooms.shareRoom(c.user(), u))
                    .forEach(changed::add);
            return new JsonObject().put("changed", changed).put("left", new JsonArray());
        });
        r.locked("POST", "/keys/signatures/upload", USER, c -> model.keys.uploadSignatures(c.body()));
        r.locked("POST", "/keys/device_signing/upload", USER, c -> {
            JsonObject body = c.body();
            if (model.keys.hasMasterKey(c.user())) authenticate(c.user(), body.getValue("auth"));
            model.keys.uploadCrossSigning(c.user(), body);
            return new JsonObject();
        });
        r.locked("GET", "/room_keys/version", USER, c -> {
            throw Http.notFound("No backup found");
        });
        r.locked("PUT", "/sendToDevice/{type}/{txnId}", USER, c -> {
            model.toDevice.send(c.requester().txnScope(), c.param(1), c.user(), c.param(0), c.body());
            return new JsonObject();
        });
        r.locked("GET", "/devices", USER, c -> {
            JsonArray devices = new JsonArray();
            for (String id : model.users.devices(c.user())) {
                devices.add(new JsonObject().put("device_id", id)
                        .put("display_name", model.users.deviceDisplayName(c.user(), id)));
            }
            return new JsonObject().put("devices", devices);
        });
    }

    private static String device(Routes.Call c) {
        if (c.requester().deviceId() == null) throw new MatrixFailure(400, "M_UNKNOWN", "Requester has no device");
        return c.requester().deviceId();
    }

    private static String required(Routes.Call c, String name) {
        String value = c.query(name);
        if (value == null) throw new MatrixFailure(400, "M_MISSING_PARAM", "Missing string query parameter " + name);
        return value;
    }

    /** User-interactive auth with {@code m.login.password}: 401 with the flows until the password is given. */
    private void authenticate(String userId, Object auth) {
        if (auth instanceof JsonObject a && "m.login.password".equals(a.getValue("type"))
                && uiaSessions.contains(a.getString("session"))) {
            String user = a.getValue("identifier") instanceof JsonObject id ? id.getString("user") : a.getString("user");
            if (user != null && model.users.userId(user).equals(userId)
                    && model.users.checkPassword(userId, a.getString("password"))) {
                uiaSessions.remove(a.getString("session"));
                return;
            }
            throw uia(a.getString("session"), true);
        }
        String session = Http.random(18);
        uiaSessions.add(session);
        throw uia(session, false);
    }

    private static MatrixFailure uia(String session, boolean failed) {
        JsonObject body = new JsonObject()
                .put("flows", new JsonArray().add(new JsonObject().put("stages", new JsonArray().add("m.login.password"))))
                .put("params", new JsonObject()).put("session", session);
        if (failed) body.put("errcode", "M_FORBIDDEN").put("error", "Invalid username or password");
        return new MatrixFailure(401, body);
    }
}
