package org.conclave.appservice.front;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.conclave.appservice.config.AppserviceConfig;
import org.conclave.appservice.config.PublicConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Conclave Web from the public listener over real HTTP: types, caching, the CSP, config.json, paths that escape. */
class WebAppTest {
    private static final String ASSET = "assets/0123456789abcdef";
    private static final AppserviceConfig APPSERVICE = AppserviceConfig.defaults().withServerName("example.org");

    @TempDir
    Path root;

    private Vertx vertx;
    private FrontServer front;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeEach
    void start() throws Exception {
        Files.createDirectories(root.resolve(ASSET).resolve("pkg"));
        Files.writeString(root.resolve("index.html"), "<!doctype html><script src=\"" + ASSET + "/app.js\"></script>");
        Files.writeString(root.resolve(ASSET).resolve("app.js"), "console.log(1)");
        Files.writeString(root.resolve(ASSET).resolve("style.css"), "body{}");
        Files.write(root.resolve(ASSET).resolve("pkg/crypto_bg.wasm"), new byte[] {0, 'a', 's', 'm'});
        Files.writeString(root.resolve(ASSET).resolve("notes.md"), "not served");
        Files.writeString(root.resolve(".env"), "SECRET=1");
        Files.writeString(root.getParent().resolve("outside.js"), "outside");
        vertx = Vertx.vertx();
        front = FrontServer.start(vertx, new PublicConfig("127.0.0.1", 0, root.toString(),
                "https://matrix.example.org"), Duration.ofSeconds(10));
    }

    @AfterEach
    void stop() throws Exception {
        front.close();
        vertx.close().await(10, TimeUnit.SECONDS);
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(front.url() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void beforeTheAppserviceRunsItSaysConclaveIsStarting() throws Exception {
        assertThat(get("/").statusCode()).isEqualTo(503);
        assertThat(get("/").body()).contains("starting");
    }

    @Test
    void servesTheBuildWithItsTypesCachingAndAStrictPolicy() throws Exception {
        front.serveWebClient(WebApp.of(vertx, front.config(), APPSERVICE));

        HttpResponse<String> index = get("/");
        assertThat(index.statusCode()).isEqualTo(200);
        assertThat(index.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
        assertThat(index.headers().firstValue("Cache-Control")).hasValue("no-cache");
        String csp = index.headers().firstValue("Content-Security-Policy").orElseThrow();
        assertThat(csp).contains("default-src 'self'", "script-src 'self' 'wasm-unsafe-eval'",
                "connect-src 'self' https://matrix.example.org;", "frame-ancestors 'none'", "object-src 'none'")
                .doesNotContain("unsafe-inline", "http://", "*");
        assertThat(index.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");

        HttpResponse<String> app = get("/" + ASSET + "/app.js");
        assertThat(app.headers().firstValue("Content-Type")).hasValue("text/javascript; charset=utf-8");
        assertThat(app.headers().firstValue("Cache-Control")).hasValue("public, max-age=31536000, immutable");
        assertThat(get("/" + ASSET + "/style.css").headers().firstValue("Content-Type"))
                .hasValue("text/css; charset=utf-8");
        HttpResponse<String> wasm = get("/" + ASSET + "/pkg/crypto_bg.wasm");
        assertThat(wasm.statusCode()).isEqualTo(200);
        assertThat(wasm.headers().firstValue("Content-Type")).hasValue("application/wasm");

        HttpResponse<String> config = get("/config.json");
        assertThat(config.headers().firstValue("Cache-Control")).hasValue("no-cache");
        assertThat(new JsonObject(config.body())).isEqualTo(new JsonObject()
                .put("default_homeserver", "https://matrix.example.org").put("bot_user_id", "@conclave:example.org")
                .put("bot_device_id", "CONCLAVE"));
    }

    @Test
    void nothingOutsideTheBuildNorHiddenNorOfUnknownTypeIsServed() throws Exception {
        front.serveWebClient(WebApp.of(vertx, front.config(), APPSERVICE));

        for (String path : new String[] {"/../outside.js", "/%2e%2e/outside.js", "/" + ASSET + "/../../../outside.js",
                "/.env", "/" + ASSET + "/notes.md", "/missing.js", "/" + ASSET + "/"}) {
            HttpResponse<String> r = get(path);
            assertThat(r.statusCode()).as(path).isEqualTo(404);
            assertThat(r.body()).as(path).doesNotContain("outside", "SECRET", "not served");
        }
        assertThat(get("/api/v1/nothing").body()).contains("M_UNRECOGNIZED");
    }

    @Test
    void anUnbuiltClientIsExplainedAndAnEmptyWebRootServesNothing() throws Exception {
        Files.delete(root.resolve("index.html"));
        front.serveWebClient(WebApp.of(vertx, front.config(), APPSERVICE));
        HttpResponse<String> r = get("/");
        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(r.body()).contains("not built", "./run.sh");

        front.serveWebClient(WebApp.of(vertx, front.config().withWebRoot(""), APPSERVICE));
        assertThat(get("/").statusCode()).isEqualTo(404);
        assertThat(get("/").body()).contains("public.web_root");
    }

    @Test
    void theHomeserverDefaultsToTheAppservicesAndOnlyItsOriginIsAllowed() {
        WebApp app = WebApp.of(vertx, new PublicConfig("127.0.0.1", 0, root.toString(), ""),
                AppserviceConfig.defaults().withServerName("example.org"));
        assertThat(app).isNotNull();
        assertThat(WebApp.contentSecurityPolicy("https://matrix.example.org:8448/base/"))
                .contains("connect-src 'self' https://matrix.example.org:8448;");
    }
}
