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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The appservice's HTTP API, the one the homeserver calls. For now it only has {@code GET /health}; every other
 * request gets Matrix's 404 {@code M_UNRECOGNIZED}, which is what the spec asks of unknown endpoints.
 */
public final class ApiServer {
    private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);
    private static final String JSON = "application/json";

    private final HttpServer server;
    private final String host;

    private ApiServer(HttpServer server, String host) {
        this.server = server;
        this.host = host;
    }

    /** Binds and waits for the bind; a port in use or a bad address becomes an IOException naming both. */
    public static ApiServer start(Vertx vertx, String host, int port, Duration timeout) throws IOException {
        HttpServer server = vertx.createHttpServer(new HttpServerOptions().setHost(host).setPort(port))
                .requestHandler(router(vertx));
        try {
            server.listen().await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            server.close();
            throw new IOException("appservice API: no bind on " + host + ":" + port + " within " + timeout);
        } catch (Exception e) {
            // await() rethrows the failure as is, checked or not (e.g. java.net.BindException).
            throw new IOException("appservice API: cannot listen on " + host + ":" + port + ": " + e.getMessage(), e);
        }
        return new ApiServer(server, host);
    }

    static Router router(Vertx vertx) {
        Router router = Router.router(vertx);
        router.get("/health").handler(ctx -> send(ctx, 200, new JsonObject().put("status", "ok")));
        router.route().handler(ctx -> send(ctx, 404, matrixError("M_UNRECOGNIZED", "Unrecognized request")));
        router.errorHandler(500, ctx -> {
            LOG.warn("request {} {} failed", ctx.request().method(), ctx.request().path(), ctx.failure());
            send(ctx, 500, matrixError("M_UNKNOWN", "Internal error"));
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

    private static JsonObject matrixError(String errcode, String error) {
        return new JsonObject().put("errcode", errcode).put("error", error);
    }

    private static void send(RoutingContext ctx, int status, JsonObject body) {
        ctx.response().setStatusCode(status).putHeader("Content-Type", JSON).end(body.encode());
    }
}
