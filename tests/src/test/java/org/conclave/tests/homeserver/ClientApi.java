package org.conclave.tests.homeserver;

import static org.conclave.tests.homeserver.Routes.Auth.APPSERVICE;
import static org.conclave.tests.homeserver.Routes.Auth.NONE;
import static org.conclave.tests.homeserver.Routes.Auth.USER;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * The account side of the client-server API: versions, login/logout, whoami, capabilities, push rules, filters,
 * account data, profiles, presence, and the endpoints a client probes that the double has nothing behind (TURN,
 * third-party protocols), answered as Synapse does without them configured.
 */
final class ClientApi {
    static final List<String> SPEC_VERSIONS = List.of("r0.0.1", "r0.1.0", "r0.2.0", "r0.3.0", "r0.4.0", "r0.5.0",
            "r0.6.0", "r0.6.1", "v1.1", "v1.2", "v1.3", "v1.4", "v1.5", "v1.6", "v1.7", "v1.8", "v1.9", "v1.10",
            "v1.11", "v1.12");

    private final Model model;
    private final AppserviceSide appservice;

    ClientApi(Model model, AppserviceSide appservice) {
        this.model = model;
        this.appservice = appservice;
    }

    void register(Routes r) {
        r.locked("POST", "/register", APPSERVICE, c -> appservice.register(c.body()));
        r.locked("GET", "/login", NONE, c -> new JsonObject().put("flows", new JsonArray()
                .add(new JsonObject().put("type", "m.login.password"))
                .add(new JsonObject().put("type", "m.login.application_service"))));
        r.locked("POST", "/login", NONE, this::login);
        r.locked("POST", "/logout", USER, c -> {
            logout(c.requester());
            return new JsonObject();
        });
        r.locked("POST", "/logout/all", USER, c -> {
            for (String device : model.users.devices(c.user())) {
                logout(new Routes.Requester(c.user(), device, false, null));
            }
            return new JsonObject();
        });
        r.locked("GET", "/account/whoami", USER, c -> {
            JsonObject who = new JsonObject().put("user_id", c.user()).put("is_guest", false);
            return c.requester().deviceId() == null ? who : who.put("device_id", c.requester().deviceId());
        });
        r.locked("GET", "/capabilities", USER, c -> capabilities());
        r.locked("GET", "/pushrules/", USER, c -> new JsonObject().put("global", new JsonObject()
                .put("override", new JsonArray()).put("content", new JsonArray()).put("room", new JsonArray())
                .put("sender", new JsonArray()).put("underride", new JsonArray())));
        r.locked("POST", "/user/{userId}/filter", USER, c -> {
            own(c, "Can only create filters for your own user");
            return new JsonObject().put("filter_id", model.users.addFilter(c.user(), c.body()));
        });
        r.locked("GET", "/user/{userId}/filter/{filterId}", USER, c -> {
            own(c, "Cannot get filters for other users");
            JsonObject filter = model.users.filter(c.user(), c.param(1));
            if (filter == null) throw Http.notFound("No such filter");
            return filter;
        });
        accountData(r);
        profile(r);
        r.locked("GET", "/voip/turnServer", USER, c -> new JsonObject());
        r.locked("GET", "/thirdparty/protocols", USER, c -> new JsonObject());
        r.locked("GET", "/presence/{userId}/status", USER, c -> {
            JsonObject presence = model.accountData.presence(c.param(0));
            return presence == null ? new JsonObject().put("presence", "offline") : presence;
        });
        r.locked("PUT", "/presence/{userId}/status", USER, c -> {
            own(c, "Can only set your own presence state");
            JsonObject body = c.body();
            if (!List.of("online", "offline", "unavailable").contains(body.getValue("presence"))) {
                throw Http.invalidParam("presence must be online, offline or unavailable");
            }
            model.accountData.presence(c.user(), body);
            return new JsonObject();
        });
    }

    private static void own(Routes.Call c, String error) {
        if (!c.param(0).equals(c.user())) throw Http.forbidden(error);
    }

    private JsonObject login(Routes.Call c) {
        JsonObject body = c.body();
        Object type = body.getValue("type");
        String user = loginUser(body);
        if ("m.login.application_service".equals(type)) {
            String header = c.ctx().request().getHeader("Authorization");
            if (header == null || !appservice.isAsToken(header.replaceFirst("^Bearer ", ""))) {
                throw new MatrixFailure(401, "M_MISSING_TOKEN", "Missing access token.");
            }
            String userId = model.users.userId(user);
            if (!appservice.inNamespace(userId)) throw new MatrixFailure(403, "M_EXCLUSIVE", "Invalid user");
            return loggedIn(model.users.login(userId, body.getString("device_id"),
                    body.getString("initial_device_display_name")));
        }
        if (!"m.login.password".equals(type)) {
            throw new MatrixFailure(400, "M_UNKNOWN", "Unknown login type " + type);
        }
        String userId = model.users.userId(user);
        if (!model.users.checkPassword(userId, body.getValue("password") instanceof String p ? p : null)) {
            throw Http.forbidden("Invalid username or password");
        }
        return loggedIn(model.users.login(userId, body.getString("device_id"),
                body.getString("initial_device_display_name")));
    }

    private static String loginUser(JsonObject body) {
        if (body.getValue("identifier") instanceof JsonObject id) {
            if (!"m.id.user".equals(id.getValue("type")) || !(id.getValue("user") instanceof String user)) {
                throw new MatrixFailure(400, "M_UNKNOWN", "Unknown login identifier type");
            }
            return user;
        }
        if (body.getValue("user") instanceof String user) return user;
        throw new MatrixFailure(400, "M_MISSING_PARAM", "Missing param: identifier");
    }

    private JsonObject loggedIn(Users.Session s) {
        model.keys.changed(s.userId());
        return new JsonObject().put("user_id", s.userId()).put("access_token", s.accessToken())
                .put("device_id", s.deviceId()).put("home_server", model.serverName);
    }

    private void logout(Routes.Requester requester) {
        if (requester.appservice()) throw Http.forbidden("The appservice's token cannot log out");
        model.users.logout(new Users.Session(requester.userId(), requester.deviceId(), requester.accessToken()));
        model.keys.deviceDeleted(requester.userId(), requester.deviceId());
        model.toDevice.deviceDeleted(requester.userId(), requester.deviceId());
        model.keys.changed(requester.userId());
    }

    private static JsonObject capabilities() {
        JsonObject available = new JsonObject();
        Rooms.ROOM_VERSIONS.forEach(v -> available.put(v, "stable"));
        return new JsonObject().put("capabilities", new JsonObject()
                .put("m.room_versions", new JsonObject().put("default", Rooms.ROOM_VERSION).put("available", available))
                .put("m.change_password", new JsonObject().put("enabled", false))
                .put("m.set_displayname", new JsonObject().put("enabled", true))
                .put("m.set_avatar_url", new JsonObject().put("enabled", true))
                .put("m.3pid_changes", new JsonObject().put("enabled", false))
                .put("m.get_login_token", new JsonObject().put("enabled", false)));
    }

    private void accountData(Routes r) {
        r.locked("GET", "/user/{userId}/account_data/{type}", USER, c -> {
            own(c, "Cannot get account data for other users.");
            return found(model.accountData.get(c.user(), null, c.param(1)));
        });
        r.locked("PUT", "/user/{userId}/account_data/{type}", USER, c -> {
            own(c, "Cannot add account data for other users.");
            model.accountData.put(c.user(), null, c.param(1), c.body());
            return new JsonObject();
        });
        r.locked("GET", "/user/{userId}/rooms/{roomId}/account_data/{type}", USER, c -> {
            own(c, "Cannot get account data for other users.");
            return found(model.accountData.get(c.user(), c.param(1), c.param(2)));
        });
        r.locked("PUT", "/user/{userId}/rooms/{roomId}/account_data/{type}", USER, c -> {
            own(c, "Cannot add account data for other users.");
            if (c.param(2).equals("m.fully_read")) {
                throw new MatrixFailure(405, "M_BAD_JSON", "Cannot set m.fully_read through this API."
                        + " Use /rooms/" + c.param(1) + "/read_markers");
            }
            model.rooms.room(c.param(1));
            model.accountData.put(c.user(), c.param(1), c.param(2), c.body());
            return new JsonObject();
        });
    }

    private static JsonObject found(JsonObject content) {
        if (content == null) throw Http.notFound("Account data not found");
        return content;
    }

    private void profile(Routes r) {
        r.locked("GET", "/profile/{userId}", USER, c -> {
            String userId = existing(c.param(0));
            JsonObject profile = new JsonObject();
            // No avatars here: nothing sets one.
            if (model.users.displayName(userId) != null) profile.put("displayname", model.users.displayName(userId));
            return profile;
        });
        r.locked("GET", "/profile/{userId}/displayname", USER, c -> {
            String name = model.users.displayName(existing(c.param(0)));
            return name == null ? new JsonObject() : new JsonObject().put("displayname", name);
        });
        r.locked("PUT", "/profile/{userId}/displayname", USER, c -> {
            if (!c.param(0).equals(c.user())) throw Http.forbidden("Cannot set another user's displayname");
            if (!(c.body().getValue("displayname") instanceof String name)) {
                throw Http.badJson("displayname must be a string");
            }
            model.users.displayName(c.user(), name);
            // Synapse rewrites the user's membership in every joined room.
            for (Room room : model.rooms.withMembership(c.user(), "join")) {
                JsonObject content = room.state("m.room.member", c.user()).getJsonObject("content").copy();
                model.rooms.send(c.user(), room.roomId(), "m.room.member", c.user(),
                        content.put("displayname", name), null, null);
            }
            return new JsonObject();
        });
    }

    private String existing(String userId) {
        if (!model.users.exists(userId)) throw Http.notFound("Profile was not found");
        return userId;
    }
}
