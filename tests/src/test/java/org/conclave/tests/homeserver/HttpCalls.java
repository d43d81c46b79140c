package org.conclave.tests.homeserver;

import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Client-server calls to the double over real HTTP, for tests that act as a client without a browser. */
final class HttpCalls {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

    /** A reply: status and body (a JSON object, or the raw text when it is not one). */
    record Answer(int status, Object body) {
        JsonObject json() {
            return (JsonObject) body;
        }

        String errcode() {
            return body instanceof JsonObject o ? o.getString("errcode") : null;
        }
    }

    private final String base;

    HttpCalls(String base) {
        this.base = base;
    }

    /** {@code path} below {@code /_matrix/client/}; {@code token} null = none; {@code body} null = none. */
    Answer call(String method, String path, String token, Object body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + "/_matrix/client/" + path))
                .timeout(TIMEOUT)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body instanceof String s ? s : Json.encode(body)));
        if (token != null) request.header("Authorization", "Bearer " + token);
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        Object parsed;
        try {
            parsed = Json.decodeValue(response.body());
        } catch (RuntimeException e) {
            parsed = response.body();
        }
        return new Answer(response.statusCode(), parsed);
    }

    /** The call, which must answer 200; its JSON object. */
    JsonObject ok(String method, String path, String token, Object body) throws Exception {
        Answer answer = call(method, path, token, body);
        if (answer.status() != 200) {
            throw new AssertionError(method + " " + path + " answered " + answer.status() + " " + answer.body());
        }
        return answer.json();
    }
}
