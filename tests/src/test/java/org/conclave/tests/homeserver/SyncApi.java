package org.conclave.tests.homeserver;

import static org.conclave.tests.homeserver.Routes.Auth.USER;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/**
 * {@code GET /sync} as a real long-poll: answered at once when there is something new for the device (or on an
 * initial or {@code full_state} sync), else held until something new comes or {@code timeout} ms pass. The
 * {@code filter} (an id or inline JSON) is accepted; the double honours its {@code room.timeline.limit} and
 * {@code room.include_leave}.
 */
final class SyncApi {
    /** The longest hold; clients ask for 30 s (matrix-js-sdk), tests for less. */
    private static final long MAX_TIMEOUT_MS = 60_000;

    private final Vertx vertx;
    private final Model model;

    SyncApi(Vertx vertx, Model model) {
        this.vertx = vertx;
        this.model = model;
    }

    void register(Routes r) {
        r.async("GET", Routes.V3, "/sync", USER, this::sync);
    }

    private Future<Http.Reply> sync(Routes.Call c) {
        Sync.Request request;
        Users.Session session = new Users.Session(c.user(), c.requester().deviceId(), c.requester().accessToken());
        long timeout;
        synchronized (model) {
            String since = c.query("since");
            long position = since == null ? 0 : RoomApi.token(since);
            if (position > model.position()) throw Http.invalidParam("Invalid stream token " + since);
            JsonObject filter = filter(c);
            JsonObject room = filter.getJsonObject("room", new JsonObject());
            int limit = room.getJsonObject("timeline", new JsonObject())
                    .getInteger("limit", Sync.DEFAULT_TIMELINE_LIMIT);
            request = new Sync.Request(position, "true".equals(c.query("full_state")), Math.max(1, limit),
                    room.getBoolean("include_leave", false));
            timeout = c.query("timeout") == null ? 0 : Math.min(MAX_TIMEOUT_MS, parse(c.query("timeout")));
            Sync.Result result = Sync.build(model, session, request);
            if (!result.empty() || timeout <= 0 || request.initial() || request.fullState()) {
                return Future.succeededFuture(Http.Reply.ok(result.body()));
            }
        }
        Promise<Http.Reply> reply = Promise.promise();
        new Waiter(vertx.getOrCreateContext(), session, request, reply).start(timeout);
        return reply.future();
    }

    private JsonObject filter(Routes.Call c) {
        String filter = c.query("filter");
        if (filter == null) return new JsonObject();
        if (filter.startsWith("{")) {
            try {
                return new JsonObject(filter);
            } catch (RuntimeException e) {
                throw new MatrixFailure(400, "M_NOT_JSON", "Invalid filter JSON");
            }
        }
        JsonObject stored = model.users.filter(c.user(), filter);
        if (stored == null) throw Http.invalidParam("No such filter " + filter);
        return stored;
    }

    private static long parse(String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw Http.invalidParam("Query parameter timeout must be an integer");
        }
    }

    /** One held sync: looks again on every change of the model, answers when non-empty or at the deadline. */
    private final class Waiter implements Runnable {
        private final Context context;
        private final Users.Session session;
        private final Sync.Request request;
        private final Promise<Http.Reply> reply;
        private long timer;
        private boolean done;

        Waiter(Context context, Users.Session session, Sync.Request request, Promise<Http.Reply> reply) {
            this.context = context;
            this.session = session;
            this.request = request;
            this.reply = reply;
        }

        void start(long timeout) {
            timer = vertx.setTimer(timeout, t -> finish(true));
            // A change between the first look and now must not be missed: look again once registered.
            context.runOnContext(v -> finish(false));
        }

        @Override
        public void run() {
            context.runOnContext(v -> finish(false));
        }

        private void finish(boolean deadline) {
            Sync.Result result;
            synchronized (model) {
                if (done) return;
                result = Sync.build(model, session, request);
                if (result.empty() && !deadline) {
                    model.onNextChange(this);
                    return;
                }
                done = true;
                model.cancel(this);
            }
            vertx.cancelTimer(timer);
            reply.complete(Http.Reply.ok(result.body()));
        }
    }
}
