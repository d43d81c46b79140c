package org.conclave.appservice.http;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The appservice's HTTP API, the one the homeserver calls. It binds with only {@code GET /health}; once the
 * registration (and so the hs_token) is known, {@link #serve(AsApi)} adds the AS API. Every other request gets
 * Matrix's 404 {@code M_UNRECOGNIZED}, which is what the spec asks of unknown endpoints.
 */
public final class ApiServer {
    private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);
    private static final String JSON = "application/json";

    private final Vertx vertx;
    private final HttpServer server;
    private final String host;
    /** Swapped once, from health-only to the full API; requests read it without locking. */
    private final AtomicReference<Router> router;

    private ApiServer(Vertx vertx, HttpServer server, String host, AtomicReference<Router> router) {
        this.vertx = vertx;
        this.server = server;
        this.host = host;
        this.router = router;
    }

    /** Binds and waits for the bind; a port in use or a bad address becomes an IOException naming both. */
    public static ApiServer start(Vertx vertx, String host, int port, Duration timeout) throws IOException {
        AtomicReference<Router> router = new AtomicReference<>(router(vertx, r -> {}));
        HttpServer server = vertx.createHttpServer(new HttpServerOptions().setHost(host).setPort(port))
                .requestHandler(request -> router.get().handle(request));
        try {
            server.listen().await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            server.close();
            throw new IOException("appservice API: no bind on " + host + ":" + port + " within " + timeout);
        } catch (Exception e) {
            // await() rethrows the failure as is, checked or not (e.g. java.net.BindException).
            throw new IOException("appservice API: cannot listen on " + host + ":" + port + ": " + e.getMessage(), e);
        }
        return new ApiServer(vertx, server, host, router);
    }

    /** From now on requests also reach the AS API. */
    public void serve(AsApi api) {
        router.set(router(vertx, api::mount));
    }

    /**
     * Shutting down: from now on everything but health gets 503 (the homeserver retries its transactions later);
     * requests already being processed still get their answer.
     */
    public void refuseTransactions() {
        router.set(router(vertx, r -> r.route().handler(
                new MatrixError(503, MatrixError.UNKNOWN, "Conclave is shutting down; retry later")::send)));
    }

    /** Health, then the given routes, then the catch-all 404 and Matrix-shaped error replies. */
    static Router router(Vertx vertx, Consumer<Router> routes) {
        Router router = Router.router(vertx);
        router.get("/health").handler(ctx -> sendJson(ctx, 200, new JsonObject().put("status", "ok")));
        routes.accept(router);
        router.route().handler(MatrixError.NOT_FOUND_PATH::send);
        router.errorHandler(405, MatrixError.WRONG_METHOD::send);
        router.errorHandler(413, new MatrixError(413, MatrixError.TOO_LARGE, "Request body too large")::send);
        router.errorHandler(400, new MatrixError(400, MatrixError.NOT_JSON, "Unreadable request body")::send);
        router.errorHandler(500, ctx -> {
            // The path only: the query may hold a token.
            LOG.warn("request {} {} failed", ctx.request().method(), ctx.request().path(), ctx.failure());
            new MatrixError(500, MatrixError.UNKNOWN, "Internal error").send(ctx);
        });
        return router;
    }

    /** The actual port (differs from the configured one when that was 0). */
    public int port() {
        return server.actualPort();
    }

    /** The URL the homeserver uses to reach this API; IPv6 hosts in brackets. */
    public String url() {
        return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port();
    }

    public void close(Duration timeout) {
        try {
            server.close().await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            LOG.warn("appservice API did not close cleanly: {}", e.toString());
        }
    }

    static void sendJson(RoutingContext ctx, int status, JsonObject body) {
        if (ctx.response().ended() || ctx.response().closed()) return;
        ctx.response().setStatusCode(status).putHeader("Content-Type", JSON).end(body.encode());
    }
}
