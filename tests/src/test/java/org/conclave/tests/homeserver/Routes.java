package org.conclave.tests.homeserver;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;

/**
 * The client-server API's route table: method + path pattern under {@code /_matrix/client/{version}/} → handler.
 * A path no pattern matches is {@code 404 M_UNRECOGNIZED}; a path some pattern matches with another method is
 * {@code 405 M_UNRECOGNIZED} (both before any authentication, as Synapse's router).
 */
final class Routes {
    /** Who may call a route. */
    enum Auth {
        NONE,
        /** A user's access token, or the appservice's as_token acting as one of its users. */
        USER,
        /** Only the appservice's as_token. */
        APPSERVICE
    }

    /** The authenticated caller. {@code deviceId} is null for the appservice's users. */
    record Requester(String userId, String deviceId, boolean appservice, String accessToken) {
        /** Transaction ids are scoped per device (per user for the appservice). */
        String txnScope() {
            return appservice ? "as:" + userId : userId + "\u0000" + deviceId;
        }
    }

    /** One request being handled: the captured path parameters, the caller, the body. */
    record Call(RoutingContext ctx, List<String> params, Requester requester) {
        String param(int i) {
            return params.get(i);
        }

        JsonObject body() {
            return Http.body(ctx);
        }

        String query(String name) {
            return ctx.request().getParam(name);
        }

        String user() {
            return requester.userId();
        }
    }

    interface Handler {
        Future<Http.Reply> handle(Call call);
    }

    /** A handler that needs the model's lock and answers at once. */
    interface Locked {
        Object handle(Call call);
    }

    record Route(String method, List<String> versions, List<String> pattern, Auth auth, Handler handler) {
        /** The captured parameters, or null when the path does not match. */
        List<String> match(String version, List<String> path) {
            if (!versions.contains(version) || path.size() != pattern.size()) return null;
            List<String> params = new ArrayList<>();
            for (int i = 0; i < pattern.size(); i++) {
                String p = pattern.get(i);
                if (p.startsWith("{")) params.add(path.get(i));
                else if (!p.equals(path.get(i))) return null;
            }
            return params;
        }
    }

    static final List<String> V3 = List.of("r0", "v3");
    static final List<String> V1 = List.of("v1");

    private final Object lock;
    private final List<Route> routes = new ArrayList<>();

    Routes(Object lock) {
        this.lock = lock;
    }

    void async(String method, List<String> versions, String pattern, Auth auth, Handler handler) {
        routes.add(new Route(method, versions, List.of(pattern.substring(1).split("/", -1)), auth, handler));
    }

    /** A route answered at once with {@code handler}'s JSON (object or array), under the model's lock. */
    void locked(String method, String pattern, Auth auth, Locked handler) {
        locked(method, V3, pattern, auth, handler);
    }

    void locked(String method, List<String> versions, String pattern, Auth auth, Locked handler) {
        async(method, versions, pattern, auth, call -> {
            synchronized (lock) {
                return Future.succeededFuture(Http.Reply.ok(handler.handle(call)));
            }
        });
    }

    /** The route for this request and its parameters; throws 404/405 as Synapse. */
    Matched find(String method, String version, List<String> path) {
        boolean pathKnown = false;
        for (Route route : routes) {
            List<String> params = route.match(version, path);
            if (params == null) continue;
            if (route.method.equals(method)) return new Matched(route, params);
            pathKnown = true;
        }
        throw pathKnown ? Http.wrongMethod() : Http.unrecognized();
    }

    record Matched(Route route, List<String> params) {}
}
