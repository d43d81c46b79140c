package org.conclave.tests.homeserver;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import org.conclave.appservice.registration.Registration;

/**
 * A homeserver for tests, as strict as Synapse: real HTTP, the client-server API for ordinary users (their own
 * access tokens: login, sync as a long-poll, rooms, state under power levels, end-to-end encryption keys, to-device
 * messages) and for the appservice (its as_token and identity assertion), and an {@link AppservicePusher} that
 * delivers what the appservice is interested in the way Synapse does (room events; to-device messages for its users
 * per MSC2409). {@link ScriptedClient}s act as users in-process.
 *
 * <p>Concerns live in their own classes: {@link Users} (accounts, devices, tokens), {@link Rooms}/{@link Room}/
 * {@link RoomAuth} (rooms and their rules), {@link Sync}/{@link SyncApi}, {@link Keys}/{@link KeysApi},
 * {@link ToDevice}, {@link AccountData} (account data, receipts, typing, presence), {@link AppserviceSide},
 * {@link Faults}; the HTTP routes in {@link ClientApi}, {@link RoomApi}, {@link SyncApi}, {@link KeysApi}.
 *
 * <h2>With matrix-js-sdk pages</h2>
 * Create users with passwords ({@link #createUser}), point a {@code MatrixClient} at {@link #url()} (the double
 * answers CORS like Synapse, so pages on another origin work), let it log in (or hand it a token from
 * {@link #login}), and read what crossed the double in {@link #requests()} (every request body is kept). The pages
 * themselves are driven by {@code tests/js/matrix/driver.mjs} (see {@code org.conclave.tests.homeserver.MatrixPages}).
 *
 * <p>Faults can be injected per path (a reply instead of the real one, a slow answer, a lost reply), paths can
 * be answered as an older homeserver does ({@code 400 M_UNRECOGNIZED}), and to-device messages for the appservice
 * can arrive out of order and twice ({@link ToDeviceDisorder}).
 */
public final class HomeserverDouble implements AutoCloseable {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    /**
     * One request as the double saw it.
     *
     * @param path raw (percent-encoded) path
     * @param userId the {@code user_id} asserted, or null
     * @param queryKeys the names of the query parameters (values left out: one of them may be a token)
     * @param body the request body as sent (tokens are never in bodies; a login's password is)
     * @param sender who the request acted as (the token's user, or the appservice's asserted user), or null
     */
    public record Request(String method, String path, String userId, boolean tokenInHeader, Set<String> queryKeys,
            int status, long atNanos, String body, String sender) {}

    /** A user's login: what a client gets from {@code POST /login}. */
    public record Session(String userId, String deviceId, String accessToken) {}

    private final Vertx vertx;
    private final Model model;
    private final AppserviceSide appservice;
    private final AppservicePusher pusher;
    private final ToDeviceDisorder toDeviceDisorder;
    private final WebClient web;
    private final Faults faults = new Faults();
    private final Routes routes;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private HttpServer server;
    private Router router;
    private int port;
    private volatile String presentedHsToken;
    private volatile String appserviceUrl;
    private final PublicEndpoints publicEndpoints = new PublicEndpoints(this);

    private HomeserverDouble(Vertx vertx, Registration registration, String serverName,
            AppservicePusher.Options pushOptions) {
        this.vertx = vertx;
        this.web = WebClient.create(vertx);
        this.presentedHsToken = registration.hsToken();
        this.appserviceUrl = registration.url();
        this.pusher = new AppservicePusher(vertx, () -> appserviceUrl, () -> presentedHsToken, pushOptions);
        this.toDeviceDisorder = new ToDeviceDisorder(vertx, pusher::offerToDevice);
        this.appservice = new AppserviceSide(registration, serverName, pusher, toDeviceDisorder, web);
        this.model = new Model(serverName, appservice, appservice);
        appservice.model(model);
        this.routes = new Routes(model);
        new ClientApi(model, appservice).register(routes);
        new RoomApi(model).register(routes);
        new SyncApi(vertx, model).register(routes);
        new KeysApi(model).register(routes);
        routes.async("POST", Routes.V1, "/appservice/{appserviceId}/ping", Routes.Auth.APPSERVICE,
                c -> appservice.ping(c.param(0), c.body(), appserviceUrl, presentedHsToken));
    }

    /** Starts on 127.0.0.1 with an ephemeral port; the pusher targets the registration's url. */
    public static HomeserverDouble start(Vertx vertx, Registration registration, String serverName,
            AppservicePusher.Options pushOptions) throws Exception {
        HomeserverDouble hs = new HomeserverDouble(vertx, registration, serverName, pushOptions);
        Router router = Router.router(vertx);
        router.route().handler(BodyHandler.create(false));
        hs.publicEndpoints.mount(router);
        router.route().handler(hs::dispatch);
        hs.router = router;
        hs.server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1")
                .await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        hs.port = hs.server.actualPort();
        return hs;
    }

    /**
     * The homeserver goes away (a restart, a network cut): it stops pushing transactions and its port refuses
     * connections, until {@link #comeBack}. Its state stays; users acting in-process meanwhile are what their clients
     * would send once it is back (the pusher delivers them then).
     */
    public synchronized void goDown() throws Exception {
        pusher.pause();
        server.close().await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Listens again on the same port and resumes pushing (what waited is delivered, in order). */
    public synchronized void comeBack() throws Exception {
        server = vertx.createHttpServer().requestHandler(router).listen(port, "127.0.0.1")
                .await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        pusher.resume();
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    public String serverName() {
        return model.serverName;
    }

    public String botUserId() {
        return appservice.botUserId();
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

    // ---- test control: faults -----------------------------------------------------------------------------------

    /** The next {@code times} requests whose method matches and whose raw path contains {@code pathPart} get this. */
    public void inject(String method, String pathPart, int times, int status, JsonObject body) {
        faults.add(Faults.Kind.REPLY, method, pathPart, times, status, body, Duration.ZERO);
    }

    /** The next {@code times} such requests are handled only after {@code delay} (a slow homeserver). */
    public void injectSlow(String method, String pathPart, int times, Duration delay) {
        faults.add(Faults.Kind.SLOW, method, pathPart, times, 0, null, delay);
    }

    /** The next {@code times} such requests take effect but are answered {@code status} (the client will repeat). */
    public void injectLostReply(String method, String pathPart, int times, int status, JsonObject body) {
        faults.add(Faults.Kind.LOST_REPLY, method, pathPart, times, status, body, Duration.ZERO);
    }

    /** Requests matching are answered {@code 400 M_UNRECOGNIZED}, as a homeserver that predates them. */
    public void answerAsOlderHomeserver(String method, String pathPart) {
        faults.answerAsOlderHomeserver(method, pathPart);
    }

    /** To-device messages for the appservice out of order and twice, as federation delivers them (off by default). */
    public ToDeviceDisorder toDeviceDisorder() {
        return toDeviceDisorder;
    }

    /**
     * Test-only interference with to-device messages, strict and off by default: each message for one device,
     * {@code {type, sender, content, to_user_id, to_device_id}}, goes through {@code f} before delivery; null drops
     * it (lost on the way, the sender got 200), another object replaces it. {@code UnaryOperator.identity()} ends it.
     */
    public void interfereWithToDevice(UnaryOperator<JsonObject> f) {
        synchronized (model) {
            model.toDevice.interfere(f);
        }
    }

    /** To-device messages {@link #interfereWithToDevice} dropped or changed so far. */
    public int toDeviceInterfered() {
        synchronized (model) {
            return model.toDevice.interfered();
        }
    }

    /** Which devices of appservice users to-device messages reach (default: Synapse's, existing devices only). */
    public void appserviceToDevice(ToDevice.AppserviceDevices devices) {
        model.toDevice.appserviceDevices(devices);
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    public List<Request> requests(String method, String pathPart) {
        return requests.stream().filter(r -> r.method.equals(method) && r.path.contains(pathPart)).toList();
    }

    /** Localparts the appservice registered, in order (repeats included). */
    public List<String> registrations() {
        synchronized (model) {
            return model.users.registrations();
        }
    }

    /** Syncs being held (long-polls waiting for something new). */
    public int heldSyncs() {
        synchronized (model) {
            return model.waiting();
        }
    }

    /**
     * A conference room as its organiser makes one: {@code owner} creates it (power 100, a host), invites the bot with
     * power 50 (enough to announce the conference) and waits until it joined, then invites {@code members}, who join
     * (power 0, guests).
     */
    public String conferenceRoom(ScriptedClient owner, String name, List<ScriptedClient> members)
            throws InterruptedException {
        String room = owner.createRoom(RoomOptions.privateRoom(name).withPowerLevels(Map.of(botUserId(), 50))
                .inviting(botUserId()));
        awaitEvent(room, e -> e.getString("type").equals("m.room.member")
                && botUserId().equals(e.getString("state_key"))
                && "join".equals(e.getJsonObject("content").getString("membership")), Duration.ofSeconds(60));
        for (ScriptedClient member : members) {
            owner.invite(room, member.userId());
            member.join(room);
        }
        return room;
    }

    // ---- test control: users ------------------------------------------------------------------------------------

    /** An ordinary user of this homeserver, acting in-process. */
    public ScriptedClient client(String localpart) {
        String userId;
        synchronized (model) {
            userId = model.users.userId(localpart);
            if (appservice.inNamespace(userId)) throw new IllegalArgumentException(userId + " belongs to the appservice");
            model.users.add(userId);
        }
        return new ScriptedClient(this, userId);
    }

    /** A user who can log in with {@code password} ({@code POST /login}); returns the user id. */
    public String createUser(String localpart, String password) {
        synchronized (model) {
            String userId = model.users.userId(localpart);
            model.users.password(userId, password);
            return userId;
        }
    }

    /** A new device and access token for the user, as a password login would give (any user, appservice's too). */
    public Session login(String userId, String deviceId) {
        synchronized (model) {
            Users.Session s = model.users.login(userId, deviceId, null);
            model.keys.changed(userId);
            return new Session(s.userId(), s.deviceId(), s.accessToken());
        }
    }

    public String displayName(String userId) {
        synchronized (model) {
            return model.users.displayName(userId);
        }
    }

    public boolean isRegistered(String userId) {
        synchronized (model) {
            return model.users.exists(userId);
        }
    }

    /** The user a client access token (from {@code POST /login}) belongs to, or null. */
    String userOfAccessToken(String accessToken) {
        synchronized (model) {
            Users.Session session = model.users.session(accessToken);
            return session == null ? null : session.userId();
        }
    }

    /** To-device messages waiting for the device (delivered in a sync, not yet acknowledged by a later one). */
    public int pendingToDevice(String userId, String deviceId) {
        synchronized (model) {
            return model.toDevice.pending(userId, deviceId);
        }
    }

    // ---- test control: rooms ------------------------------------------------------------------------------------

    public List<JsonObject> timeline(String roomId) {
        synchronized (model) {
            return room(roomId).timeline().stream().map(JsonObject::copy).toList();
        }
    }

    public String membership(String roomId, String userId) {
        synchronized (model) {
            return room(roomId).membership(userId);
        }
    }

    public JsonObject state(String roomId, String type, String stateKey) {
        synchronized (model) {
            JsonObject event = room(roomId).state(type, stateKey);
            return event == null ? null : event.copy();
        }
    }

    /** Waits for an event matching {@code match} in the room's timeline (events already there count). */
    public JsonObject awaitEvent(String roomId, Predicate<JsonObject> match, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (model) {
            while (true) {
                for (JsonObject event : room(roomId).timeline()) {
                    if (match.test(event)) return event.copy();
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) throw new AssertionError("no matching event in " + roomId + " within " + timeout);
                TimeUnit.NANOSECONDS.timedWait(model, left);
            }
        }
    }

    /**
     * The room's timeline from position {@code from} on (0 = the first event), waiting up to {@code timeout} for at
     * least one such event; empty when none came. For followers that read a room as it grows.
     */
    public List<JsonObject> awaitTimelineFrom(String roomId, int from, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (model) {
            while (room(roomId).timeline().size() <= from) {
                long left = deadline - System.nanoTime();
                if (left <= 0) return List.of();
                TimeUnit.NANOSECONDS.timedWait(model, left);
            }
            List<JsonObject> timeline = room(roomId).timeline();
            return timeline.subList(from, timeline.size()).stream().map(JsonObject::copy).toList();
        }
    }

    String createRoom(String creator, RoomOptions options) {
        synchronized (model) {
            return model.rooms.create(creator, options.toRequest(creator));
        }
    }

    /** Sends as {@code sender} after the homeserver's checks; returns the event id. @throws MatrixFailure */
    String send(String sender, String roomId, String type, String stateKey, JsonObject content) {
        synchronized (model) {
            return model.rooms.send(sender, roomId, type, stateKey, content, null, null).event().getString("event_id");
        }
    }

    /** {@code PUT /sendToDevice/{type}/{txnId}} as {@code sender} (a remote user's arrives over federation). */
    void sendToDevice(String sender, String type, String txnId, JsonObject body) {
        synchronized (model) {
            model.toDevice.send(sender, txnId, sender, type, body);
        }
    }

    boolean inNamespace(String userId) {
        return appservice.inNamespace(userId);
    }

    private Room room(String roomId) {
        if (!model.rooms.exists(roomId)) throw new IllegalArgumentException("no room " + roomId);
        return model.rooms.room(roomId);
    }

    /** Raw path split at '/', each segment percent-decoded ('+' stays '+': this is a path). */
    static List<String> segments(String rawPath) {
        return Http.segments(rawPath);
    }

    // ---- HTTP ---------------------------------------------------------------------------------------------------

    private void dispatch(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        String method = request.method().name();
        String path = request.path();
        // Synapse answers CORS for every client-server path: browser clients on other origins.
        ctx.response().putHeader("Access-Control-Allow-Origin", "*")
                .putHeader("Access-Control-Allow-Methods", "GET, HEAD, POST, PUT, DELETE, OPTIONS")
                .putHeader("Access-Control-Allow-Headers", "X-Requested-With, Content-Type, Authorization, Date");
        if (method.equals("OPTIONS")) {
            ctx.response().setStatusCode(204).end();
            return;
        }
        Faults.Fault fault = faults.take(method, path);
        Future<Http.Reply> reply;
        if (fault == null) {
            reply = handle(ctx, method, path);
        } else {
            reply = switch (fault.kind()) {
                case REPLY -> Future.succeededFuture(new Http.Reply(fault.status(), fault.body().copy()));
                case SLOW -> {
                    Promise<Http.Reply> later = Promise.promise();
                    vertx.setTimer(Math.max(1, fault.delay().toMillis()),
                            t -> handle(ctx, method, path).onComplete(later));
                    yield later.future();
                }
                case LOST_REPLY -> handle(ctx, method, path)
                        .map(r -> new Http.Reply(fault.status(), fault.body().copy()));
            };
        }
        reply.onComplete(ar -> respond(ctx, method, path, ar.succeeded() ? ar.result()
                : new Http.Reply(500, new JsonObject().put("errcode", "M_UNKNOWN").put("error", String.valueOf(ar.cause())))));
    }

    private void respond(RoutingContext ctx, String method, String path, Http.Reply reply) {
        HttpServerRequest request = ctx.request();
        String authorization = request.getHeader("Authorization");
        Routes.Requester requester = ctx.get("requester");
        requests.add(new Request(method, path, request.getParam("user_id"),
                authorization != null && authorization.startsWith("Bearer "), Set.copyOf(request.params().names()),
                reply.status(), System.nanoTime(), Http.rawBody(ctx), requester == null ? null : requester.userId()));
        ctx.response().setStatusCode(reply.status()).putHeader("Content-Type", "application/json").end(reply.encode());
    }

    private Future<Http.Reply> handle(RoutingContext ctx, String method, String path) {
        try {
            List<String> s = Http.segments(path);
            if (s.size() < 3 || !s.get(0).equals("_matrix") || !s.get(1).equals("client")) throw Http.unrecognized();
            if (s.size() == 3 && s.get(2).equals("versions")) {
                if (!method.equals("GET")) throw Http.wrongMethod();
                return Future.succeededFuture(Http.Reply.ok(new JsonObject()
                        .put("versions", ClientApi.SPEC_VERSIONS).put("unstable_features", new JsonObject())));
            }
            Routes.Matched matched = routes.find(method, s.get(2), s.subList(3, s.size()));
            Routes.Requester requester = authenticate(ctx, matched.route().auth());
            ctx.put("requester", requester);
            return matched.route().handler().handle(new Routes.Call(ctx, matched.params(), requester));
        } catch (MatrixFailure f) {
            return Future.succeededFuture(new Http.Reply(f.status(), f.body()));
        }
    }

    private Routes.Requester authenticate(RoutingContext ctx, Routes.Auth auth) {
        if (auth == Routes.Auth.NONE) return null;
        String header = ctx.request().getHeader("Authorization");
        String token = header != null && header.startsWith("Bearer ") ? header.substring(7)
                : ctx.request().getParam("access_token");
        if (token == null || token.isEmpty()) throw new MatrixFailure(401, "M_MISSING_TOKEN", "Missing access token");
        synchronized (model) {
            if (appservice.isAsToken(token)) return appservice.requester(ctx.request().getParam("user_id"));
            Users.Session session = auth == Routes.Auth.USER ? model.users.session(token) : null;
            if (session == null) {
                throw new MatrixFailure(401, new JsonObject().put("errcode", "M_UNKNOWN_TOKEN")
                        .put("error", "Unrecognised access token").put("soft_logout", false));
            }
            return new Routes.Requester(session.userId(), session.deviceId(), false, token);
        }
    }
}
