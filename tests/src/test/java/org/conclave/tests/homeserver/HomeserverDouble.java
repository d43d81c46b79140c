package org.conclave.tests.homeserver;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.handler.BodyHandler;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.conclave.appservice.registration.Registration;

/**
 * A homeserver for tests: real HTTP, the part of the client-server API the appservice calls (register, display name,
 * join, leave, send, state, members, whoami, appservice ping), an in-memory room model with the authorization rules
 * that matter here (membership, power levels), {@link ScriptedClient}s that act as ordinary users in-process, and an
 * {@link AppservicePusher} that delivers every event the appservice is interested in the way Synapse does.
 *
 * <p>Client-server requests must carry the appservice's {@code as_token} (header or {@code access_token} query);
 * {@code ?user_id=} must name a registered user of the appservice's namespace (Synapse's rules and errcodes). Faults
 * can be injected per path, and every request is logged (without tokens) for assertions.
 */
public final class HomeserverDouble implements AutoCloseable {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final SecureRandom RANDOM = new SecureRandom();
    static final int KICK_LEVEL = 50;

    /**
     * One request as the double saw it.
     *
     * @param path raw (percent-encoded) path
     * @param userId the {@code user_id} asserted, or null
     * @param queryKeys the names of the query parameters (values left out: one of them may be a token)
     */
    public record Request(String method, String path, String userId, boolean tokenInHeader, Set<String> queryKeys,
            int status, long atNanos) {}

    private record Fault(String method, String pathPart, int status, JsonObject body, int[] remaining) {}

    private record Reply(int status, JsonObject body) {
        static Reply ok(JsonObject body) {
            return new Reply(200, body);
        }
    }

    private final Vertx vertx;
    private final Registration registration;
    private final String serverName;
    private final List<Pattern> namespace;
    private final String botUserId;
    private final WebClient web;
    private HttpServer server;
    private volatile String presentedHsToken;
    private volatile String appserviceUrl;
    private final AppservicePusher pusher;
    private final PublicEndpoints publicEndpoints = new PublicEndpoints(this);

    private final Map<String, Room> rooms = new LinkedHashMap<>();
    private final Set<String> users = new HashSet<>();
    private final Map<String, String> displayNames = new HashMap<>();
    /** (user, path) of a send → its event id: a repeated client transaction id is the same send. */
    private final Map<String, String> sends = new HashMap<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final List<Fault> faults = new CopyOnWriteArrayList<>();
    private final List<String> registrations = new CopyOnWriteArrayList<>();
    private long sequence;

    private HomeserverDouble(Vertx vertx, Registration registration, String serverName,
            AppservicePusher.Options pushOptions) {
        this.vertx = vertx;
        this.registration = registration;
        this.serverName = serverName;
        this.namespace = registration.userRegexes().stream().map(Pattern::compile).toList();
        this.botUserId = "@" + registration.senderLocalpart() + ":" + serverName;
        this.web = WebClient.create(vertx);
        this.presentedHsToken = registration.hsToken();
        this.appserviceUrl = registration.url();
        this.pusher = new AppservicePusher(vertx, () -> appserviceUrl, () -> presentedHsToken, pushOptions);
        // Synapse creates the appservice's sender user itself.
        users.add(botUserId);
    }

    /** Starts on 127.0.0.1 with an ephemeral port; the pusher targets the registration's url. */
    public static HomeserverDouble start(Vertx vertx, Registration registration, String serverName,
            AppservicePusher.Options pushOptions) throws Exception {
        HomeserverDouble hs = new HomeserverDouble(vertx, registration, serverName, pushOptions);
        Router router = Router.router(vertx);
        router.route().handler(BodyHandler.create(false));
        hs.publicEndpoints.mount(router);
        router.route().handler(hs::dispatch);
        hs.server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1")
                .await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        return hs;
    }

    public String url() {
        return "http://127.0.0.1:" + server.actualPort();
    }

    public String serverName() {
        return serverName;
    }

    public String botUserId() {
        return botUserId;
    }

    public AppservicePusher pusher() {
        return pusher;
    }

    /** Versions, signing keys and OpenID, as clients and third parties reach them. */
    public PublicEndpoints publicEndpoints() {
        return publicEndpoints;
    }

    /** Where the pusher and the ping go (default: the registration's url). */
    public void appserviceUrl(String url) {
        this.appserviceUrl = url;
    }

    /** The hs_token the double presents to the appservice (default: the registration's). */
    public void presentHsToken(String token) {
        this.presentedHsToken = token;
    }

    @Override
    public void close() {
        pusher.close();
        web.close();
        try {
            server.close().await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("homeserver double did not close within " + TIMEOUT, e);
        }
    }

    // ---- test control -------------------------------------------------------------------------------------------

    /** The next {@code times} requests whose method matches and whose raw path contains {@code pathPart} get this. */
    public void inject(String method, String pathPart, int times, int status, JsonObject body) {
        faults.add(new Fault(method, pathPart, status, body, new int[] {times}));
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    public List<Request> requests(String method, String pathPart) {
        return requests.stream().filter(r -> r.method.equals(method) && r.path.contains(pathPart)).toList();
    }

    /** Localparts the appservice registered, in order (repeats included). */
    public List<String> registrations() {
        return List.copyOf(registrations);
    }

    /** An ordinary user of this homeserver, acting in-process. */
    public synchronized ScriptedClient client(String localpart) {
        String userId = "@" + localpart + ":" + serverName;
        if (inNamespace(userId)) throw new IllegalArgumentException(userId + " belongs to the appservice");
        users.add(userId);
        return new ScriptedClient(this, userId);
    }

    public synchronized String displayName(String userId) {
        return displayNames.get(userId);
    }

    public synchronized boolean isRegistered(String userId) {
        return users.contains(userId);
    }

    public synchronized List<JsonObject> timeline(String roomId) {
        return room(roomId).timeline();
    }

    public synchronized String membership(String roomId, String userId) {
        return room(roomId).membership(userId);
    }

    public synchronized JsonObject state(String roomId, String type, String stateKey) {
        JsonObject event = room(roomId).state(type, stateKey);
        return event == null ? null : event.copy();
    }

    /** Waits for an event matching {@code match} in the room's timeline (events already there count). */
    public synchronized JsonObject awaitEvent(String roomId, Predicate<JsonObject> match, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            for (JsonObject event : room(roomId).timeline()) {
                if (match.test(event)) return event.copy();
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) throw new AssertionError("no matching event in " + roomId + " within " + timeout);
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
    }

    /**
     * The room's timeline from position {@code from} on (0 = the first event), waiting up to {@code timeout} for at
     * least one such event; empty when none came. For followers that read a room as it grows.
     */
    public synchronized List<JsonObject> awaitTimelineFrom(String roomId, int from, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (room(roomId).timeline().size() <= from) {
            long left = deadline - System.nanoTime();
            if (left <= 0) return List.of();
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        List<JsonObject> timeline = room(roomId).timeline();
        return timeline.subList(from, timeline.size()).stream().map(JsonObject::copy).toList();
    }

    // ---- the room model (used by ScriptedClient and the HTTP API) -----------------------------------------------

    synchronized String createRoom(String creator, RoomOptions options) {
        String roomId = "!" + random(12) + ":" + serverName;
        Room room = new Room(roomId);
        rooms.put(roomId, room);
        append(room, event(room, creator, "m.room.create", "", new JsonObject().put("creator", creator)
                .put("room_version", "10")));
        append(room, event(room, creator, "m.room.member", creator, new JsonObject().put("membership", "join")));
        JsonObject users = new JsonObject().put(creator, 100);
        options.powerLevels().forEach(users::put);
        append(room, event(room, creator, "m.room.power_levels", "", new JsonObject().put("users", users)
                .put("users_default", 0).put("events_default", 0).put("state_default", 50).put("invite", 0)
                .put("kick", KICK_LEVEL).put("ban", 50).put("redact", 50).put("events", new JsonObject())));
        append(room, event(room, creator, "m.room.join_rules", "", new JsonObject()
                .put("join_rule", options.isPublic() ? "public" : "invite")));
        if (options.name() != null) {
            append(room, event(room, creator, "m.room.name", "", new JsonObject().put("name", options.name())));
        }
        if (options.encrypted()) {
            append(room, event(room, creator, "m.room.encryption", "", new JsonObject()
                    .put("algorithm", "m.megolm.v1.aes-sha2")));
        }
        for (String invitee : options.invite()) {
            JsonObject content = new JsonObject().put("membership", "invite");
            if (options.direct()) content.put("is_direct", true);
            send(creator, roomId, "m.room.member", invitee, content);
        }
        return roomId;
    }

    /**
     * Sends an event as {@code sender} after the checks a homeserver makes; returns its id.
     *
     * @param stateKey null for a message event
     * @throws MatrixFailure when refused
     */
    synchronized String send(String sender, String roomId, String type, String stateKey, JsonObject content) {
        Room room = rooms.get(roomId);
        if (room == null) throw new MatrixFailure(404, "M_NOT_FOUND", "Unknown room " + roomId);
        if (type.equals("m.room.member") && stateKey != null) {
            checkMembershipChange(room, sender, stateKey, content.getString("membership", ""));
        } else {
            if (!room.membership(sender).equals("join")) {
                throw new MatrixFailure(403, "M_FORBIDDEN", sender + " is not in the room");
            }
            if (room.powerLevel(sender) < room.requiredLevel(type, stateKey != null)) {
                throw new MatrixFailure(403, "M_FORBIDDEN", sender + " may not send " + type + " here");
            }
        }
        JsonObject event = event(room, sender, type, stateKey, content);
        append(room, event);
        return event.getString("event_id");
    }

    private void checkMembershipChange(Room room, String sender, String target, String membership) {
        String current = room.membership(target);
        switch (membership) {
            case "invite" -> {
                if (!room.membership(sender).equals("join") || room.powerLevel(sender) < room.inviteLevel()) {
                    throw new MatrixFailure(403, "M_FORBIDDEN", sender + " may not invite");
                }
                if (current.equals("join") || current.equals("ban")) {
                    throw new MatrixFailure(403, "M_FORBIDDEN", target + " is already in the room or banned");
                }
            }
            case "join" -> {
                if (!sender.equals(target)) throw new MatrixFailure(403, "M_FORBIDDEN", "cannot join for others");
                if (!current.equals("invite") && !current.equals("join") && !room.isPublic()) {
                    throw new MatrixFailure(403, "M_FORBIDDEN", target + " is not invited");
                }
            }
            case "leave" -> {
                int level = room.powerLevel(sender);
                if (!sender.equals(target) && (level < KICK_LEVEL || level <= room.powerLevel(target))) {
                    throw new MatrixFailure(403, "M_FORBIDDEN", sender + " may not kick " + target);
                }
                if (current.equals("leave")) {
                    throw new MatrixFailure(403, "M_FORBIDDEN", target + " is not in the room");
                }
            }
            default -> throw new MatrixFailure(400, "M_BAD_JSON", "membership " + membership + " not supported");
        }
    }

    private JsonObject event(Room room, String sender, String type, String stateKey, JsonObject content) {
        JsonObject event = new JsonObject().put("event_id", "$" + (++sequence) + "_" + random(16))
                .put("room_id", room.roomId()).put("sender", sender).put("type", type)
                .put("origin_server_ts", System.currentTimeMillis()).put("content", content.copy());
        if (stateKey != null) event.put("state_key", stateKey);
        return event;
    }

    /** Appends, wakes waiters, and hands the event to the pusher if the appservice is interested (Synapse's rules). */
    private void append(Room room, JsonObject event) {
        room.append(event);
        boolean interested = inNamespace(event.getString("sender"))
                || (event.getString("type").equals("m.room.member") && inNamespace(event.getString("state_key")))
                || room.memberEvents().stream().anyMatch(m -> inNamespace(m.getString("state_key"))
                        && List.of("join", "invite").contains(m.getJsonObject("content").getString("membership")));
        if (interested) pusher.offer(event.copy());
        notifyAll();
    }

    /** Synapse tests namespaces with Python's re.match: anchored at the start only. */
    boolean inNamespace(String userId) {
        return userId != null && namespace.stream().anyMatch(p -> p.matcher(userId).lookingAt());
    }

    private Room room(String roomId) {
        Room room = rooms.get(roomId);
        if (room == null) throw new IllegalArgumentException("no room " + roomId);
        return room;
    }

    // ---- HTTP ---------------------------------------------------------------------------------------------------

    private void dispatch(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        String method = request.method().name();
        String path = request.path();
        String authorization = request.getHeader("Authorization");
        boolean tokenInHeader = authorization != null && authorization.startsWith("Bearer ");
        String userIdParam = request.getParam("user_id");
        Set<String> queryKeys = Set.copyOf(request.params().names());
        Future<Reply> reply;
        try {
            for (Fault fault : faults) {
                if (fault.method.equals(method) && path.contains(fault.pathPart)) {
                    synchronized (fault) {
                        if (fault.remaining[0] > 0) {
                            fault.remaining[0]--;
                            throw new MatrixFailure(fault.status, fault.body);
                        }
                    }
                }
            }
            reply = route(ctx, method, segments(path), userIdParam);
        } catch (MatrixFailure f) {
            reply = Future.succeededFuture(new Reply(f.status(), f.body()));
        }
        reply.onComplete(ar -> {
            int code;
            JsonObject body;
            if (ar.succeeded()) {
                code = ar.result().status();
                body = ar.result().body();
            } else {
                code = 500;
                body = new JsonObject().put("errcode", "M_UNKNOWN").put("error", String.valueOf(ar.cause()));
            }
            requests.add(new Request(method, path, userIdParam, tokenInHeader, queryKeys, code, System.nanoTime()));
            ctx.response().setStatusCode(code).putHeader("Content-Type", "application/json").end(body.encode());
        });
    }

    private Future<Reply> route(RoutingContext ctx, String method, List<String> s, String userIdParam) {
        if (s.size() >= 2 && s.get(0).equals("_matrix") && s.get(1).equals("client")) {
            if (s.size() == 6 && s.get(2).equals("v1") && s.get(3).equals("appservice") && s.get(5).equals("ping")
                    && method.equals("POST")) {
                requireAsToken(ctx);
                return ping(s.get(4), body(ctx));
            }
            if (s.size() >= 4 && s.get(2).equals("v3")) {
                return Future.succeededFuture(Reply.ok(clientV3(ctx, method, s.subList(3, s.size()), userIdParam)));
            }
        }
        throw new MatrixFailure(404, "M_UNRECOGNIZED", "Unrecognized request");
    }

    private JsonObject clientV3(RoutingContext ctx, String method, List<String> p, String userIdParam) {
        requireAsToken(ctx);
        if (p.equals(List.of("register")) && method.equals("POST")) return register(body(ctx));
        String user = assertedUser(userIdParam);
        String first = p.get(0);
        if (first.equals("account") && p.size() == 2 && p.get(1).equals("whoami") && method.equals("GET")) {
            return new JsonObject().put("user_id", user).put("is_guest", false);
        }
        if (first.equals("profile") && p.size() == 3 && p.get(2).equals("displayname")) {
            return displayName(method, user, p.get(1), body(ctx));
        }
        if (first.equals("join") && p.size() == 2 && method.equals("POST")) {
            synchronized (this) {
                String roomId = p.get(1);
                if (!rooms.containsKey(roomId)) throw new MatrixFailure(404, "M_NOT_FOUND", "Unknown room");
                if (!room(roomId).membership(user).equals("join")) {
                    send(user, roomId, "m.room.member", user, new JsonObject().put("membership", "join"));
                }
                return new JsonObject().put("room_id", roomId);
            }
        }
        if (first.equals("rooms") && p.size() >= 3) return roomRequest(ctx, method, user, p);
        throw new MatrixFailure(404, "M_UNRECOGNIZED", "Unrecognized request");
    }

    private JsonObject roomRequest(RoutingContext ctx, String method, String user, List<String> p) {
        String roomId = p.get(1);
        String what = p.get(2);
        synchronized (this) {
            if (!rooms.containsKey(roomId)) throw new MatrixFailure(404, "M_NOT_FOUND", "Unknown room");
            Room room = room(roomId);
            if (what.equals("leave") && p.size() == 3 && method.equals("POST")) {
                send(user, roomId, "m.room.member", user, new JsonObject().put("membership", "leave"));
                return new JsonObject();
            }
            if (what.equals("send") && p.size() == 5 && method.equals("PUT")) {
                String key = user + " " + String.join("/", p);
                String existing = sends.get(key);
                if (existing == null) {
                    existing = send(user, roomId, p.get(3), null, body(ctx));
                    sends.put(key, existing);
                }
                return new JsonObject().put("event_id", existing);
            }
            if (what.equals("state") && (p.size() == 4 || p.size() == 5)) {
                String type = p.get(3);
                String stateKey = p.size() == 5 ? p.get(4) : "";
                if (method.equals("PUT")) {
                    return new JsonObject().put("event_id", send(user, roomId, type, stateKey, body(ctx)));
                }
                if (method.equals("GET")) {
                    if (!room.membership(user).equals("join")) {
                        throw new MatrixFailure(403, "M_FORBIDDEN", user + " is not in the room");
                    }
                    JsonObject event = room.state(type, stateKey);
                    if (event == null) throw new MatrixFailure(404, "M_NOT_FOUND", "Event not found");
                    return event.getJsonObject("content").copy();
                }
            }
            if (what.equals("members") && p.size() == 3 && method.equals("GET")) {
                if (room.membership(user).equals("leave")) {
                    throw new MatrixFailure(403, "M_FORBIDDEN", user + " is not in the room");
                }
                JsonArray chunk = new JsonArray();
                room.memberEvents().forEach(e -> chunk.add(e.copy()));
                return new JsonObject().put("chunk", chunk);
            }
        }
        throw new MatrixFailure(404, "M_UNRECOGNIZED", "Unrecognized request");
    }

    private synchronized JsonObject register(JsonObject body) {
        if (!"m.login.application_service".equals(body.getString("type"))) {
            throw new MatrixFailure(400, "M_BAD_JSON", "only m.login.application_service registrations");
        }
        String localpart = body.getString("username");
        if (localpart == null || localpart.isEmpty()) throw new MatrixFailure(400, "M_INVALID_USERNAME", "no username");
        String userId = "@" + localpart + ":" + serverName;
        if (!inNamespace(userId)) throw new MatrixFailure(400, "M_EXCLUSIVE", userId + " is not in the namespace");
        registrations.add(localpart);
        if (!users.add(userId)) throw new MatrixFailure(400, "M_USER_IN_USE", "User ID already taken.");
        JsonObject reply = new JsonObject().put("user_id", userId);
        if (!body.getBoolean("inhibit_login", false)) reply.put("access_token", "syt_" + random(20));
        return reply;
    }

    private synchronized JsonObject displayName(String method, String asserted, String userId, JsonObject body) {
        if (method.equals("GET")) {
            if (!users.contains(userId)) throw new MatrixFailure(404, "M_NOT_FOUND", "Profile not found");
            String name = displayNames.get(userId);
            return name == null ? new JsonObject() : new JsonObject().put("displayname", name);
        }
        if (method.equals("PUT")) {
            if (!asserted.equals(userId)) throw new MatrixFailure(403, "M_FORBIDDEN", "Cannot set another's name");
            if (!(body.getValue("displayname") instanceof String name)) {
                throw new MatrixFailure(400, "M_BAD_JSON", "displayname must be a string");
            }
            displayNames.put(userId, name);
            // Synapse rewrites the user's membership in every joined room.
            for (Room room : rooms.values()) {
                if (room.membership(userId).equals("join")) {
                    append(room, event(room, userId, "m.room.member", userId,
                            new JsonObject().put("membership", "join").put("displayname", name)));
                }
            }
            return new JsonObject();
        }
        throw new MatrixFailure(405, "M_UNRECOGNIZED", "Unrecognized method");
    }

    /** Calls the appservice's /_matrix/app/v1/ping the way Synapse does and reports the outcome. */
    private Future<Reply> ping(String asId, JsonObject body) {
        if (!asId.equals(registration.id())) {
            throw new MatrixFailure(403, "M_FORBIDDEN", "Provided access token is not the appservice's as_token");
        }
        long start = System.nanoTime();
        JsonObject ping = new JsonObject();
        if (body.getValue("transaction_id") instanceof String id) ping.put("transaction_id", id);
        return web.postAbs(appserviceUrl + "/_matrix/app/v1/ping")
                .putHeader("Authorization", "Bearer " + presentedHsToken)
                .timeout(TIMEOUT.toMillis())
                .sendJsonObject(ping)
                .map(response -> {
                    if (response.statusCode() == 200) {
                        return Reply.ok(new JsonObject().put("duration_ms", (System.nanoTime() - start) / 1_000_000));
                    }
                    return new Reply(502, new JsonObject().put("errcode", "M_BAD_STATUS")
                            .put("error", "Ping returned status " + response.statusCode())
                            .put("status", response.statusCode())
                            .put("body", response.bodyAsString() == null ? "" : response.bodyAsString()));
                })
                .otherwise(e -> new Reply(502, new JsonObject().put("errcode", "M_CONNECTION_FAILED")
                        .put("error", "Connection failed: " + e.getMessage())));
    }

    private void requireAsToken(RoutingContext ctx) {
        String header = ctx.request().getHeader("Authorization");
        String token = header != null && header.startsWith("Bearer ") ? header.substring(7)
                : ctx.request().getParam("access_token");
        if (token == null) throw new MatrixFailure(401, "M_MISSING_TOKEN", "Missing access token");
        if (!token.equals(registration.asToken())) {
            throw new MatrixFailure(401, "M_UNKNOWN_TOKEN", "Unrecognised access token");
        }
    }

    /** Synapse's identity assertion: the sender by default; others must be in the namespace and registered. */
    private synchronized String assertedUser(String userIdParam) {
        if (userIdParam == null) return botUserId;
        if (!inNamespace(userIdParam)) {
            throw new MatrixFailure(403, "M_FORBIDDEN",
                    "Application service cannot masquerade as this user (" + userIdParam + ").");
        }
        if (!users.contains(userIdParam)) {
            throw new MatrixFailure(403, "M_FORBIDDEN",
                    "Application service has not registered this user (" + userIdParam + ")");
        }
        return userIdParam;
    }

    private static JsonObject body(RoutingContext ctx) {
        Buffer raw = ctx.body().buffer();
        if (raw == null || raw.length() == 0) return new JsonObject();
        try {
            Object value = io.vertx.core.json.Json.decodeValue(raw);
            if (value instanceof JsonObject o) return o;
        } catch (RuntimeException e) {
            throw new MatrixFailure(400, "M_NOT_JSON", "Content not JSON.");
        }
        throw new MatrixFailure(400, "M_BAD_JSON", "Content must be a JSON object.");
    }

    /** Raw path split at '/', each segment percent-decoded ('+' stays '+': this is a path). */
    static List<String> segments(String rawPath) {
        List<String> out = new ArrayList<>();
        String[] parts = rawPath.split("/", -1);
        for (int i = 1; i < parts.length; i++) out.add(percentDecode(parts[i]));
        return out;
    }

    static String percentDecode(String s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            int hex = c == '%' && i + 2 < s.length() ? hexByte(s.substring(i + 1, i + 3)) : -1;
            if (hex >= 0) {
                out.write(hex);
                i += 2;
            } else {
                out.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static int hexByte(String two) {
        try {
            return Integer.parseInt(two, 16);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static String random(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
