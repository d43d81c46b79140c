package org.conclave.appservice.intent;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import org.conclave.appservice.config.AppserviceLimits;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client-server API as the appservice uses it: every request carries the {@code as_token} in the
 * {@code Authorization} header (never in the URL, so it cannot end up in a proxy's access log) and, when acting as a
 * user, {@code ?user_id=} (identity assertion). Failed tries are repeated per {@link RetryPolicy}; waits are Vert.x
 * timers, nothing blocks. Logs name method and path only.
 */
public final class HomeserverClient implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HomeserverClient.class);
    private static final String USER_AGENT = "Conclave";

    /**
     * One answer of the homeserver.
     *
     * @param body the JSON object answered, empty if none or not an object
     * @param list the JSON array answered (e.g. a room's state), or null if the answer is not one
     */
    public record Response(int status, JsonObject body, String retryAfterHeader, JsonArray list) {
        public Response(int status, JsonObject body, String retryAfterHeader) {
            this(status, body, retryAfterHeader, null);
        }
    }

    private final Vertx vertx;
    private final WebClient web;
    private final String baseUrl;
    private final String asToken;
    private final RetryPolicy retry;
    private final long timeoutMs;
    private final RequestObserver observer;
    /** Requests not finished yet (waits between tries included): shutdown waits for them. */
    private final java.util.concurrent.atomic.AtomicInteger inFlight = new java.util.concurrent.atomic.AtomicInteger();

    public HomeserverClient(Vertx vertx, String homeserverUrl, String asToken, RetryPolicy retry, long timeoutMs) {
        this(vertx, homeserverUrl, asToken, retry, timeoutMs, RequestObserver.NONE,
                AppserviceLimits.DEFAULT_HOMESERVER_CONNECTIONS);
    }

    public HomeserverClient(Vertx vertx, String homeserverUrl, String asToken, RetryPolicy retry, long timeoutMs,
            RequestObserver observer, int connections) {
        this.observer = observer;
        this.vertx = vertx;
        this.baseUrl = homeserverUrl.endsWith("/") ? homeserverUrl.substring(0, homeserverUrl.length() - 1)
                : homeserverUrl;
        this.asToken = asToken;
        this.retry = retry;
        this.timeoutMs = timeoutMs;
        this.web = WebClient.create(vertx, new WebClientOptions().setUserAgent(USER_AGENT)
                .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, timeoutMs)),
                new PoolOptions().setHttp1MaxSize(connections));
    }

    public String baseUrl() {
        return baseUrl;
    }

    /**
     * Sends a request, trying again per the retry policy; succeeds with the 2xx body.
     *
     * @param path already percent-encoded ({@link Paths})
     * @param asUserId the user to act as ({@code ?user_id=}), or null for none
     * @param body the JSON body, or null for none
     * @return fails with {@link MatrixHttpException}
     */
    public Future<JsonObject> request(HttpMethod method, String path, String asUserId, JsonObject body) {
        Promise<Response> result = Promise.promise();
        inFlight.incrementAndGet();
        result.future().onComplete(ar -> inFlight.decrementAndGet());
        attempt(method, path, asUserId, body, 1, result);
        return result.future().map(Response::body);
    }

    /** {@link #request} for an answer that is a JSON array ({@code GET /rooms/{roomId}/state}). */
    public Future<JsonArray> requestList(HttpMethod method, String path, String asUserId) {
        Promise<Response> result = Promise.promise();
        inFlight.incrementAndGet();
        result.future().onComplete(ar -> inFlight.decrementAndGet());
        attempt(method, path, asUserId, null, 1, result);
        return result.future().compose(r -> r.list() != null ? Future.succeededFuture(r.list())
                : Future.failedFuture(new MatrixHttpException(method + " " + path, r.status(), null,
                        "the answer is not a JSON array", r.body(), 1, null)));
    }

    /** Requests sent and not finished yet (including those waiting to be tried again). */
    public int inFlight() {
        return inFlight.get();
    }

    /** One try, no retries; fails only if there was no answer (then with a {@link MatrixHttpException}, status 0). */
    public Future<Response> once(HttpMethod method, String path, String asUserId, JsonObject body) {
        return send(method, path, asUserId, body).recover(e -> Future.failedFuture(
                new MatrixHttpException(method + " " + path, 0, null, e.getMessage(), new JsonObject(), 1, e)));
    }

    private void attempt(HttpMethod method, String path, String asUserId, JsonObject body, int attempt,
            Promise<Response> result) {
        send(method, path, asUserId, body).onComplete(ar -> {
            if (ar.succeeded() && ar.result().status() / 100 == 2) {
                result.complete(ar.result());
                return;
            }
            int status = ar.succeeded() ? ar.result().status() : 0;
            JsonObject errorBody = ar.succeeded() ? ar.result().body() : new JsonObject();
            long retryAfter = ar.succeeded() ? retryAfterMs(ar.result()) : -1;
            long delay = retry.delayAfter(attempt, status, retryAfter);
            String request = method + " " + path;
            if (delay < 0) {
                observer.onFailed(status);
                result.fail(new MatrixHttpException(request, status, errorBody.getString("errcode"),
                        ar.succeeded() ? errorBody.getString("error") : ar.cause().getMessage(), errorBody, attempt,
                        ar.cause()));
                return;
            }
            LOG.debug("{} -> {}; try {} in {} ms", request, status == 0 ? ar.cause().toString() : "HTTP " + status,
                    attempt + 1, delay);
            vertx.setTimer(Math.max(1, delay), id -> attempt(method, path, asUserId, body, attempt + 1, result));
        });
    }

    private Future<Response> send(HttpMethod method, String path, String asUserId, JsonObject body) {
        HttpRequest<Buffer> request = web.requestAbs(method, baseUrl + path)
                .putHeader("Authorization", "Bearer " + asToken)
                .timeout(timeoutMs);
        if (asUserId != null) request.addQueryParam("user_id", asUserId);
        Future<HttpResponse<Buffer>> sent;
        long start = System.nanoTime();
        try {
            sent = body == null ? request.send() : request.sendJsonObject(body);
        } catch (RuntimeException e) {
            observer.onTry(0, System.nanoTime() - start);
            return Future.failedFuture(e);
        }
        sent.onComplete(ar -> observer.onTry(ar.succeeded() ? ar.result().statusCode() : 0, System.nanoTime() - start));
        return sent.map(response -> {
            Object json = json(response.body());
            return new Response(response.statusCode(), jsonBody(json, response.body()),
                    response.getHeader("Retry-After"), json instanceof JsonArray list ? list : null);
        });
    }

    /** {@code retry_after_ms} from the body, else the Retry-After header (seconds, spec v1.10+), else -1. */
    static long retryAfterMs(Response response) {
        if (response.body().getValue("retry_after_ms") instanceof Number ms && ms.longValue() >= 0) {
            return ms.longValue();
        }
        String header = response.retryAfterHeader();
        if (header != null) {
            try {
                long seconds = Long.parseLong(header.strip());
                if (seconds >= 0 && seconds < RetryPolicy.MAX_RETRY_AFTER_MS / 1000) return seconds * 1000;
            } catch (NumberFormatException e) {
                // an HTTP date: rare from homeservers; fall back to our own backoff
            }
        }
        return -1;
    }

    /** The answer's JSON value, or null when it is empty or not JSON. */
    private static Object json(Buffer buffer) {
        if (buffer == null || buffer.length() == 0) return null;
        try {
            return io.vertx.core.json.Json.decodeValue(buffer);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static JsonObject jsonBody(Object json, Buffer buffer) {
        if (json instanceof JsonObject o) return o;
        if (json != null || buffer == null || buffer.length() == 0) return new JsonObject();
        String text = buffer.toString(StandardCharsets.UTF_8);
        return new JsonObject().put("error", text.length() > 200 ? text.substring(0, 200) : text);
    }

    @Override
    public void close() {
        web.close();
    }
}
