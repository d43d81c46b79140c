package org.conclave.appservice.ops.admin;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.conclave.appservice.config.AdminConfig;
import org.conclave.appservice.http.HsTokenAuth;
import org.conclave.appservice.http.Listeners;
import org.conclave.appservice.ops.metrics.Metrics;

/**
 * The operators' private listener ({@code admin.listen_address:listen_port}): {@code GET /health},
 * {@code GET /metrics} (Prometheus; bearer {@code admin.metrics_token} when set) and the {@link AdminApi}.
 */
public final class AdminServer implements AutoCloseable {

    private final HttpServer server;
    private final String host;

    private AdminServer(HttpServer server, String host) {
        this.server = server;
        this.host = host;
    }

    public static AdminServer start(Vertx vertx, AdminConfig config, Metrics metrics, AdminApi api, Duration timeout)
            throws IOException {
        Router router = Router.router(vertx);
        router.get("/health").handler(ctx -> AdminApi.send(ctx, 200, new JsonObject().put("status", "ok")));
        HsTokenAuth scrapeAuth = config.metricsToken().isEmpty() ? null : new HsTokenAuth(config.metricsToken());
        router.get("/metrics").handler(ctx -> {
            if (scrapeAuth != null && scrapeAuth.check(ctx.request().headers().getAll("Authorization"), List.of())
                    != HsTokenAuth.Result.OK) {
                ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"conclave-metrics\"");
                AdminApi.send(ctx, 401, new JsonObject().put("errcode", "M_UNAUTHORIZED")
                        .put("error", "Scraping needs the header Authorization: Bearer <admin.metrics_token>."));
                return;
            }
            ctx.response().putHeader("Content-Type", Metrics.CONTENT_TYPE).end(metrics.scrape());
        });
        api.mount(router);
        router.route().handler(ctx -> AdminApi.send(ctx, 404, new JsonObject().put("errcode", "M_UNRECOGNIZED")
                .put("error", "Unrecognized request")));
        HttpServer server = Listeners.listen(vertx, "admin listener", config.listenAddress(), config.listenPort(),
                router, timeout);
        return new AdminServer(server, config.listenAddress());
    }

    public String url() {
        return Listeners.url(host, server);
    }

    @Override
    public void close() {
        Listeners.close("admin listener", server);
    }
}
