package org.conclave.tests.homeserver;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.conclave.appservice.registration.Registration;

/**
 * The homeserver as the appservice sees it (Synapse's rules): the as_token and identity assertion
 * ({@code ?user_id=} must name a registered user of the namespace), registration of namespace users, the ping
 * ({@code POST /_matrix/client/v1/appservice/{id}/ping}), which room events it is pushed (namespace senders, members
 * and state keys), and the to-device messages for its users (MSC2409, under the unstable and/or stable key).
 */
final class AppserviceSide implements Rooms.Listener, ToDevice.Listener {
    private static final Duration PING_TIMEOUT = Duration.ofSeconds(10);

    private final Registration registration;
    private final List<Pattern> namespace;
    private final String botUserId;
    private final AppservicePusher pusher;
    private final ToDeviceDisorder toDevice;
    private final WebClient web;
    private Model model;

    AppserviceSide(Registration registration, String serverName, AppservicePusher pusher, ToDeviceDisorder toDevice,
            WebClient web) {
        this.registration = registration;
        this.namespace = registration.userRegexes().stream().map(Pattern::compile).toList();
        this.botUserId = "@" + registration.senderLocalpart() + ":" + serverName;
        this.pusher = pusher;
        this.toDevice = toDevice;
        this.web = web;
    }

    void model(Model value) {
        this.model = value;
        // Synapse creates the appservice's sender user itself.
        model.users.add(botUserId);
    }

    String botUserId() {
        return botUserId;
    }

    boolean isAsToken(String token) {
        return registration.asToken().equals(token);
    }

    /** Synapse tests namespaces with Python's re.match: anchored at the start only. */
    boolean inNamespace(String userId) {
        return userId != null && namespace.stream().anyMatch(p -> p.matcher(userId).lookingAt());
    }

    @Override
    public boolean isAppserviceUser(String userId) {
        return inNamespace(userId);
    }

    /** Synapse's identity assertion: the sender by default; others must be in the namespace and registered. */
    Routes.Requester requester(String userIdParam) {
        String user = userIdParam == null ? botUserId : userIdParam;
        if (userIdParam != null && !inNamespace(userIdParam)) {
            throw Http.forbidden("Application service cannot masquerade as this user (" + userIdParam + ").");
        }
        if (!model.users.exists(user)) {
            throw Http.forbidden("Application service has not registered this user (" + user + ")");
        }
        return new Routes.Requester(user, null, true, null);
    }

    /** {@code POST /register} with {@code m.login.application_service}. */
    JsonObject register(JsonObject body) {
        if (!"m.login.application_service".equals(body.getString("type"))) {
            throw Http.badJson("only m.login.application_service registrations");
        }
        String localpart = body.getString("username");
        if (localpart == null || localpart.isEmpty()) throw new MatrixFailure(400, "M_INVALID_USERNAME", "no username");
        String userId = "@" + localpart + ":" + model.serverName;
        if (!inNamespace(userId)) throw new MatrixFailure(400, "M_EXCLUSIVE", userId + " is not in the namespace");
        model.users.registered(localpart);
        if (!model.users.add(userId)) throw new MatrixFailure(400, "M_USER_IN_USE", "User ID already taken.");
        JsonObject reply = new JsonObject().put("user_id", userId);
        if (!body.getBoolean("inhibit_login", false)) {
            Users.Session s = model.users.login(userId, body.getString("device_id"), null);
            reply.put("access_token", s.accessToken()).put("device_id", s.deviceId());
        }
        return reply;
    }

    /** Pushes the event if the appservice is interested in it (Synapse's rules). */
    @Override
    public void appended(Room room, Room.Entry entry) {
        JsonObject event = entry.event();
        boolean interested = inNamespace(event.getString("sender"))
                || (event.getString("type").equals("m.room.member") && inNamespace(event.getString("state_key")))
                || room.memberEvents().stream().anyMatch(m -> inNamespace(m.getString("state_key"))
                        && List.of("join", "invite").contains(m.getJsonObject("content").getString("membership")));
        if (interested) pusher.offer(event.copy());
    }

    @Override
    public void toAppservice(JsonObject message) {
        toDevice.deliver(message);
    }

    /** Calls the appservice's /_matrix/app/v1/ping the way Synapse does and reports the outcome. */
    Future<Http.Reply> ping(String asId, JsonObject body, String appserviceUrl, String hsToken) {
        if (!asId.equals(registration.id())) {
            throw Http.forbidden("Provided access token is not the appservice's as_token");
        }
        long start = System.nanoTime();
        JsonObject ping = new JsonObject();
        if (body.getValue("transaction_id") instanceof String id) ping.put("transaction_id", id);
        return web.postAbs(appserviceUrl + "/_matrix/app/v1/ping")
                .putHeader("Authorization", "Bearer " + hsToken)
                .timeout(PING_TIMEOUT.toMillis())
                .sendJsonObject(ping)
                .map(response -> {
                    if (response.statusCode() == 200) {
                        return Http.Reply.ok(new JsonObject().put("duration_ms",
                                (System.nanoTime() - start) / 1_000_000));
                    }
                    return new Http.Reply(502, new JsonObject().put("errcode", "M_BAD_STATUS")
                            .put("error", "Ping returned status " + response.statusCode())
                            .put("status", response.statusCode())
                            .put("body", response.bodyAsString() == null ? "" : response.bodyAsString()));
                })
                .otherwise(e -> new Http.Reply(502, new JsonObject().put("errcode", "M_CONNECTION_FAILED")
                        .put("error", "Connection failed: " + e.getMessage())));
    }
}
