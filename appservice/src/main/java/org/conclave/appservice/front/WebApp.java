package org.conclave.appservice.front;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.conclave.appservice.config.AppserviceConfig;
import org.conclave.appservice.config.PublicConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Conclave Web from the public listener: the built files of {@code public.web_root} ({@code web/build.mjs}: an
 * {@code index.html} naming {@code assets/<content hash>/…}) and {@code /config.json} (the homeserver to sign in to,
 * the bot to call). Every answer carries a strict Content-Security-Policy: scripts, styles, workers and the crypto's
 * wasm only from this origin, network requests only to this origin and the homeserver. Hashed assets are cached for
 * a year; the index and config.json are revalidated on every load, so a new build reaches browsers at once.
 */
public final class WebApp {
    private static final Logger LOG = LoggerFactory.getLogger(WebApp.class);
    static final String ASSETS = "/assets/";
    static final String CACHE_IMMUTABLE = "public, max-age=31536000, immutable";
    static final String CACHE_REVALIDATE = "no-cache";
    private static final Map<String, String> TYPES = Map.of("html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8", "mjs", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8", "wasm", "application/wasm", "json", "application/json",
            "png", "image/png", "svg", "image/svg+xml", "ico", "image/x-icon", "txt", "text/plain; charset=utf-8");

    private final Vertx vertx;
    private final Path root;
    private final String config;
    private final String csp;

    WebApp(Vertx vertx, Path root, JsonObject config, String homeserverUrl) {
        this.vertx = vertx;
        this.root = root.toAbsolutePath().normalize();
        this.config = config.encode();
        this.csp = contentSecurityPolicy(homeserverUrl);
    }

    /** The web client of this Conclave, or null when {@code public.web_root} is empty. */
    public static WebApp of(Vertx vertx, PublicConfig listener, AppserviceConfig appservice) {
        if (!listener.servesWebClient()) return null;
        Path root = Path.of(listener.webRoot());
        String homeserver = listener.clientHomeserverUrl(appservice);
        if (!Files.isRegularFile(root.resolve("index.html"))) {
            LOG.warn("public.web_root {} has no index.html: Conclave Web is not built there (build it with: cd web &&"
                    + " npm ci && node build.mjs, which ./run.sh does); people who open the public listener are told"
                    + " so", root.toAbsolutePath());
        }
        JsonObject config = new JsonObject().put("default_homeserver", homeserver)
                .put("bot_user_id", appservice.senderUserId()).put("bot_device_id", appservice.deviceId());
        return new WebApp(vertx, root, config, homeserver);
    }

    /** default-src 'self' and nothing from anywhere else, but the homeserver's API for fetch. */
    static String contentSecurityPolicy(String homeserverUrl) {
        URI hs = URI.create(homeserverUrl);
        String origin = hs.getScheme() + "://" + hs.getRawAuthority();
        return "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'; style-src 'self'; "
                + "img-src 'self' data: blob:; media-src 'self' blob: mediastream:; connect-src 'self' " + origin
                + "; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";
    }

    /** GET or HEAD of any path the other routes did not take. */
    void handle(RoutingContext ctx) {
        HttpServerResponse response = ctx.response();
        response.putHeader("Content-Security-Policy", csp).putHeader("X-Content-Type-Options", "nosniff")
                .putHeader("Referrer-Policy", "no-referrer")
                .putHeader("Permissions-Policy", "camera=(self), microphone=(self), display-capture=(self)");
        String path = ctx.normalizedPath();
        if (path.equals("/config.json")) {
            response.putHeader("Content-Type", "application/json").putHeader("Cache-Control", CACHE_REVALIDATE)
                    .end(config);
            return;
        }
        Path file = fileOf(path);
        String type = file == null ? null : TYPES.get(extension(file));
        if (type == null) {
            notFound(ctx);
            return;
        }
        vertx.fileSystem().props(file.toString()).onComplete(props -> {
            if (props.failed() || !props.result().isRegularFile()) {
                if (path.equals("/")) notBuilt(ctx);
                else notFound(ctx);
                return;
            }
            response.putHeader("Content-Type", type)
                    .putHeader("Cache-Control", path.startsWith(ASSETS) ? CACHE_IMMUTABLE : CACHE_REVALIDATE)
                    .sendFile(file.toString());
        });
    }

    /** The file under the root a URL path names, or null when it would leave the root or names a hidden file. */
    Path fileOf(String urlPath) {
        String relative = urlPath.equals("/") ? "index.html" : urlPath.substring(1);
        if (relative.isEmpty() || relative.contains("\\") || relative.contains("\0")) return null;
        for (String segment : relative.split("/")) {
            if (segment.isEmpty() || segment.startsWith(".")) return null;
        }
        Path file = root.resolve(relative).normalize();
        return file.startsWith(root) ? file : null;
    }

    private static String extension(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot + 1);
    }

    private static void notFound(RoutingContext ctx) {
        ctx.response().setStatusCode(404).putHeader("Content-Type", "text/plain; charset=utf-8")
                .putHeader("Cache-Control", CACHE_REVALIDATE).end("Not found\n");
    }

    private static void notBuilt(RoutingContext ctx) {
        ctx.response().setStatusCode(503).putHeader("Content-Type", "text/plain; charset=utf-8")
                .putHeader("Cache-Control", CACHE_REVALIDATE)
                .end("Conclave Web is not built on this server yet. Its operator can build it with ./run.sh (or: cd"
                        + " web && npm ci && node build.mjs) and restart Conclave.\n");
    }
}
