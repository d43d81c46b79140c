package org.conclave.appservice.front;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.conclave.appservice.config.AppserviceConfig;
import org.conclave.appservice.config.CallConfig;
import org.conclave.appservice.config.PublicConfig;
import org.conclave.appservice.config.TurnConfig;
import org.conclave.appservice.intent.AppserviceClient;
import org.conclave.appservice.intent.HomeserverClient;
import org.conclave.appservice.intent.RetryPolicy;
import org.conclave.appservice.ops.metrics.TurnMetrics;
import org.conclave.appservice.registration.UserNamespace;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The limits of section {@code turn}, set low, over real HTTP to the public listener, with a homeserver that can hold
 * its answers: a body over {@code max_request_bytes} and a request beyond {@code max_concurrent_requests} are refused
 * naming the key, counted, and cost the homeserver nothing; the next ordinary request gets its credentials.
 */
class TurnLimitsTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final String ROOM = "!conference:hs";
    private static final TurnConfig TURN = new TurnConfig(List.of("turn:turn.example.org:3478?transport=udp"),
            "sixteen-chars-ok", TurnConfig.DEFAULT_CREDENTIAL_LIFETIME_MS, 1024, 2);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    /** Requests the homeserver received; while {@code hold} is set, its OpenID answers wait in {@code held}. */
    private final AtomicInteger homeserverRequests = new AtomicInteger();
    private final List<Promise<Void>> held = new CopyOnWriteArrayList<>();
    private volatile boolean hold;
    /** Counted down each time the homeserver holds an answer. */
    private final CountDownLatch holding = new CountDownLatch(2);
    private Vertx vertx;
    private HttpServer homeserver;
    private FrontServer front;

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        Router hs = Router.router(vertx);
        hs.get("/_matrix/federation/v1/openid/userinfo").handler(ctx -> {
            homeserverRequests.incrementAndGet();
            Promise<Void> answer = Promise.promise();
            answer.future().onComplete(x -> ctx.json(new JsonObject().put("sub", "@alice:hs")));
            if (hold) {
                held.add(answer);
                holding.countDown();
            }
            else answer.complete();
        });
        hs.get("/_matrix/client/v3/rooms/:room/state/m.room.member/:user").handler(ctx -> {
            homeserverRequests.incrementAndGet();
            ctx.json(new JsonObject().put("membership", "join"));
        });
        homeserver = vertx.createHttpServer().requestHandler(hs).listen(0, "127.0.0.1").await();
        String hsUrl = "http://127.0.0.1:" + homeserver.actualPort();
        AppserviceConfig appservice = AppserviceConfig.defaults().withServerName("hs");
        AppserviceClient matrix = new AppserviceClient(new HomeserverClient(vertx, hsUrl, "as_token",
                new RetryPolicy(1, 10), TIMEOUT.toMillis()), new UserNamespace(appservice));

        front = FrontServer.start(vertx, new PublicConfig("127.0.0.1", 0, "", ""), TURN, TIMEOUT);
        TurnMetrics.bind(metrics, front.turnRefusals());
        front.serveTurn(new TurnApi(TURN, CallConfig.defaults(), new OpenIdVerifier(vertx, hsUrl, "hs",
                TIMEOUT.toMillis()), matrix.bot(), Clock.systemUTC(), front.turnRefusals()));
    }

    @AfterEach
    void stop() throws Exception {
        held.forEach(Promise::tryComplete);
        front.close();
        vertx.close().await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static String request(String padding) {
        return new JsonObject().put("conference_id", ROOM).put("openid_token", new JsonObject()
                .put("access_token", "openid-token").put("token_type", "Bearer").put("matrix_server_name", "hs")
                .put("expires_in", 3600)).put("padding", padding).encode();
    }

    private CompletableFuture<HttpResponse<String>> post(String body) {
        return http.sendAsync(HttpRequest.newBuilder(URI.create(front.url() + TurnApi.PATH)).timeout(TIMEOUT)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private double refused(String limit) {
        return metrics.get("conclave.turn.requests.refused").tag("limit", limit).functionCounter().count();
    }

    private static void assertCredentials(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(new JsonObject(response.body()).getString("username")).endsWith(":@alice:hs");
    }

    private static void assertRefused(HttpResponse<String> response, int status, String errcode, String named) {
        assertThat(response.statusCode()).isEqualTo(status);
        JsonObject error = new JsonObject(response.body());
        assertThat(error.getString("errcode")).isEqualTo(errcode);
        assertThat(error.getString("error")).contains(named);
    }

    @Test
    void aBodyOverMaxRequestBytesIsRefusedUnreadAndTheNextRequestServed() throws Exception {
        assertThat(refused("max_request_bytes")).isZero();

        HttpResponse<String> tooLarge = post(request("x".repeat(1024))).get(10, TimeUnit.SECONDS);

        assertRefused(tooLarge, 413, "M_TOO_LARGE", "turn.max_request_bytes (1024 bytes)");
        assertThat(refused("max_request_bytes")).isEqualTo(1);
        assertThat(homeserverRequests).as("homeserver requests for the refused one").hasValue(0);
        assertCredentials(post(request("")).get(10, TimeUnit.SECONDS));
        assertThat(refused("max_concurrent_requests")).isZero();
    }

    @Test
    void aRequestBeyondMaxConcurrentRequestsGets429AndTheOthersAreServed() throws Exception {
        hold = true;
        CompletableFuture<HttpResponse<String>> first = post(request(""));
        CompletableFuture<HttpResponse<String>> second = post(request(""));
        holding.await(TIMEOUT.toNanos(), TimeUnit.NANOSECONDS);
        assertThat(held).as("OpenID checks waiting at the homeserver").hasSize(2);

        HttpResponse<String> third = post(request("")).get(10, TimeUnit.SECONDS);

        assertRefused(third, 429, "M_LIMIT_EXCEEDED", "turn.max_concurrent_requests is 2");
        assertThat(refused("max_concurrent_requests")).isEqualTo(1);
        assertThat(homeserverRequests).as("the refused one asked the homeserver nothing").hasValue(2);
        hold = false;
        held.forEach(Promise::complete);
        assertCredentials(first.get(10, TimeUnit.SECONDS));
        assertCredentials(second.get(10, TimeUnit.SECONDS));
        assertCredentials(post(request("")).get(10, TimeUnit.SECONDS));
        assertThat(refused("max_request_bytes")).isZero();
    }
}
