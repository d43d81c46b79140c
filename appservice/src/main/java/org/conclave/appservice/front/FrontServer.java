package org.conclave.appservice.front;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.io.IOException;
import java.time.Duration;
import org.conclave.appservice.config.PublicConfig;
import org.conclave.appservice.config.TurnConfig;
import org.conclave.appservice.http.Listeners;

/**
 * Conclave's public listener ({@code public.listen_address:listen_port}), the one people's clients reach through the
 * operator's TLS reverse proxy: {@code GET /health}, and from when the appservice runs the {@link TurnApi} and Conclave
 * Web ({@link WebApp}: every other GET). Separate from the appservice API, which only the homeserver may reach.
 * Cross-origin calls are allowed: requests authenticate with a token in their body, never with cookies.
 */
public final class FrontServer implements AutoCloseable {
    private final HttpServer server;
    private final PublicConfig config;
    private final TurnRefusals turnRefusals;
    private volatile TurnApi turn;
    private volatile WebApp web;
    private volatile boolean webClientOff;

    private FrontServer(HttpServer server, PublicConfig config, TurnRefusals turnRefusals) {
        this.server = server;
        this.config = config;
        this.turnRefusals = turnRefusals;
    }

    /** With section {@code turn} at its defaults (tests of the web client). */
    public static FrontServer start(Vertx vertx, PublicConfig config, Duration timeout) throws IOException {
        return start(vertx, config, TurnConfig.defaults(), timeout);
    }

    /** @param turn its {@code max_request_bytes} bounds the credentials request's body (the only body read here) */
    public static FrontServer start(Vertx vertx, PublicConfig config, TurnConfig turn, Duration timeout)
            throws IOException {
        Router router = Router.router(vertx);
        FrontServer[] self = new FrontServer[1];
        TurnRefusals refusals = new TurnRefusals();
        router.route().handler(FrontServer::cors);
        router.get("/health").handler(ctx -> send(ctx, 200, new JsonObject().put("status", "ok")));
        turnRoute(router, self, turn, refusals);
        router.route("/api/*").handler(ctx -> error(ctx, 404, "M_UNRECOGNIZED", "Unrecognized request"));
        router.route().method(HttpMethod.GET).method(HttpMethod.HEAD).handler(ctx -> {
            WebApp app = self[0].web;
            if (app != null) app.handle(ctx);
            else if (self[0].webClientOff) error(ctx, 404, "M_NOT_FOUND", "This Conclave does not serve its web"
                    + " client (public.web_root is empty).");
            else error(ctx, 503, "M_UNKNOWN", "Conclave is starting; try again in a moment.");
        });
        router.route().handler(ctx -> error(ctx, 404, "M_UNRECOGNIZED", "Unrecognized request"));
        router.errorHandler(413, ctx -> error(ctx, 413, "M_TOO_LARGE", "Request body too large"));
        HttpServer server = Listeners.listen(vertx, "public listener", config.listenAddress(), config.listenPort(),
                router, timeout);
        self[0] = new FrontServer(server, config, refusals);
        return self[0];
    }

    /** {@code POST /api/v1/turn}: the body read up to {@code turn.max_request_bytes}, then the {@link TurnApi}. */
    private static void turnRoute(Router router, FrontServer[] self, TurnConfig turn, TurnRefusals refusals) {
        router.post(TurnApi.PATH).handler(BodyHandler.create(false).setBodyLimit(turn.maxRequestBytes()))
                .handler(ctx -> {
                    TurnApi api = self[0].turn;
                    if (api == null) error(ctx, 503, "M_UNKNOWN", "Conclave is starting; try again in a moment.");
                    else api.handle(ctx);
                })
                .failureHandler(ctx -> {
                    if (ctx.statusCode() != 413) {
                        ctx.next();
                        return;
                    }
                    refusals.countTooLarge();
                    error(ctx, 413, "M_TOO_LARGE", "The request is larger than this server's turn.max_request_bytes ("
                            + turn.maxRequestBytes() + " bytes); send only conference_id and openid_token.");
                });
    }

    /** From now on the web client is served (null: public.web_root is empty, it never will be). */
    public void serveWebClient(WebApp app) {
        this.webClientOff = app == null;
        this.web = app;
    }

    /** From now on {@code POST /api/v1/turn} answers. */
    public void serveTurn(TurnApi api) {
        this.turn = api;
    }

    private static void cors(RoutingContext ctx) {
        ctx.response().putHeader("Access-Control-Allow-Origin", "*");
        if (ctx.request().method() == HttpMethod.OPTIONS) {
            ctx.response().putHeader("Access-Control-Allow-Methods", "GET, POST, OPTIONS")
                    .putHeader("Access-Control-Allow-Headers", "Content-Type")
                    .putHeader("Access-Control-Max-Age", "600").setStatusCode(204).end();
            return;
        }
        ctx.next();
    }

    public String url() {
        return Listeners.url(config.listenAddress(), server);
    }

    public PublicConfig config() {
        return config;
    }

    /** Credentials requests refused by the limits of section {@code turn}; give it to the {@link TurnApi}. */
    public TurnRefusals turnRefusals() {
        return turnRefusals;
    }

    static void error(RoutingContext ctx, int status, String errcode, String error) {
        send(ctx, status, new JsonObject().put("errcode", errcode).put("error", error));
    }

    static void send(RoutingContext ctx, int status, JsonObject body) {
        if (ctx.response().ended() || ctx.response().closed()) return;
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json")
                .putHeader("Cache-Control", "no-store").end(body.encode());
    }

    @Override
    public void close() {
        Listeners.close("public listener", server);
    }
}
