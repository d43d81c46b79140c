package org.conclave.tests.homeserver;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** A bare double (no appservice behind it) and HTTP calls to it, for the tests of the double's own rules. */
final class DoubleFixture implements AutoCloseable {
    static final Duration TIMEOUT = Duration.ofSeconds(10);

    final Vertx vertx = Vertx.vertx();
    final HomeserverDouble hs;
    final HttpCalls http;

    DoubleFixture(Path dir) throws Exception {
        var registration = Fixtures.registration(Fixtures.config(dir, 0, "http://127.0.0.1:1"), "http://127.0.0.1:1");
        hs = HomeserverDouble.start(vertx, registration, Fixtures.SERVER_NAME, AppservicePusher.Options.defaults());
        http = new HttpCalls(hs.url());
    }

    /** A user with a password, logged in on device {@code localpart.toUpperCase()}. */
    HomeserverDouble.Session user(String localpart) {
        return hs.login(hs.createUser(localpart, "pw"), localpart.toUpperCase());
    }

    JsonObject ok(String method, String path, HomeserverDouble.Session as, Object body) throws Exception {
        return http.ok(method, path, as == null ? null : as.accessToken(), body);
    }

    HttpCalls.Answer call(String method, String path, HomeserverDouble.Session as, Object body) throws Exception {
        return http.call(method, path, as == null ? null : as.accessToken(), body);
    }

    /** A private room of {@code owner} that {@code members} joined; returns its id. */
    String room(HomeserverDouble.Session owner, HomeserverDouble.Session... members) throws Exception {
        String room = ok("POST", "v3/createRoom", owner, new JsonObject().put("preset", "private_chat"))
                .getString("room_id");
        for (HomeserverDouble.Session member : members) {
            ok("POST", "v3/rooms/" + enc(room) + "/invite", owner, new JsonObject().put("user_id", member.userId()));
            ok("POST", "v3/join/" + enc(room), member, new JsonObject());
        }
        return room;
    }

    String send(HomeserverDouble.Session as, String room, String text, String txnId) throws Exception {
        return ok("PUT", "v3/rooms/" + enc(room) + "/send/m.room.message/" + txnId, as,
                new JsonObject().put("msgtype", "m.text").put("body", text)).getString("event_id");
    }

    JsonObject sync(HomeserverDouble.Session as, String since, String extra) throws Exception {
        return ok("GET", "v3/sync?" + (since == null ? "" : "since=" + since + "&") + extra, as, null);
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    @Override
    public void close() throws Exception {
        hs.close();
        vertx.close().await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }
}
