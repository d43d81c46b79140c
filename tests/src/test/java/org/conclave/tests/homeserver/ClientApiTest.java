package org.conclave.tests.homeserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.conclave.tests.homeserver.DoubleFixture.enc;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The users' client-server API of the double, over real HTTP: what Synapse answers, refusals included. */
class ClientApiTest {
    @TempDir
    Path dir;

    private DoubleFixture f;
    private HomeserverDouble.Session alice;

    @BeforeEach
    void start() throws Exception {
        f = new DoubleFixture(dir);
        alice = f.user("alice");
    }

    @AfterEach
    void stop() throws Exception {
        f.close();
    }

    /** token: "alice" = her access token, "-" = none, else sent as is. */
    @ParameterizedTest(name = "{0} {1} token={2} -> {3} {4}")
    @CsvSource(textBlock = """
            GET,    versions,                      -,     200,
            POST,   versions,                      -,     405, M_UNRECOGNIZED
            GET,    v3/nothing/here,               alice, 404, M_UNRECOGNIZED
            GET,    v3/nothing/here,               -,     404, M_UNRECOGNIZED
            DELETE, v3/sync,                       alice, 405, M_UNRECOGNIZED
            GET,    v3/createRoom,                 alice, 405, M_UNRECOGNIZED
            GET,    v3/sync,                       -,     401, M_MISSING_TOKEN
            GET,    v3/sync,                       nope,  401, M_UNKNOWN_TOKEN
            GET,    v3/account/whoami,             alice, 200,
            GET,    r0/account/whoami,             alice, 200,
            GET,    v3/room_keys/version,          alice, 404, M_NOT_FOUND
            GET,    v3/user/%40bob%3Ahs.test/filter/0, alice, 403, M_FORBIDDEN
            GET,    v3/user/%40alice%3Ahs.test/filter/7, alice, 404, M_NOT_FOUND
            GET,    v3/user/%40alice%3Ahs.test/account_data/m.direct, alice, 404, M_NOT_FOUND
            GET,    v3/voip/turnServer,            alice, 200,
            GET,    v3/thirdparty/protocols,       alice, 200,
            GET,    v3/capabilities,               alice, 200,
            GET,    v3/pushrules/,                 alice, 200,
            GET,    v3/profile/%40nobody%3Ahs.test, alice, 404, M_NOT_FOUND
            """)
    void answersAsSynapse(String method, String path, String token, int status, String errcode) throws Exception {
        String bearer = switch (token) {
            case "alice" -> alice.accessToken();
            case "-" -> null;
            default -> token;
        };
        HttpCalls.Answer answer = f.http.call(method, path, bearer, method.equals("GET") ? null : new JsonObject());
        assertThat(answer.status()).as(String.valueOf(answer.body())).isEqualTo(status);
        if (errcode != null) assertThat(answer.errcode()).isEqualTo(errcode);
    }

    @Test
    void passwordLoginGivesADeviceAndTokenThatLogoutEnds() throws Exception {
        f.hs.createUser("bob", "secret");
        assertThat(f.http.ok("GET", "v3/login", null, null).getJsonArray("flows").getJsonObject(0).getString("type"))
                .isEqualTo("m.login.password");
        HttpCalls.Answer wrong = f.http.call("POST", "v3/login", null, password("bob", "guess"));
        assertThat(wrong.status()).isEqualTo(403);
        assertThat(wrong.errcode()).isEqualTo("M_FORBIDDEN");
        assertThat(f.http.call("POST", "v3/login", null, new JsonObject().put("type", "m.login.magic")).status())
                .isEqualTo(400);

        JsonObject login = f.http.ok("POST", "v3/login", null, password("bob", "secret"));
        assertThat(login.getString("user_id")).isEqualTo("@bob:hs.test");
        String token = login.getString("access_token");
        assertThat(f.http.ok("GET", "v3/account/whoami", token, null).getString("device_id"))
                .isEqualTo(login.getString("device_id"));
        f.http.ok("POST", "v3/logout", token, new JsonObject());
        assertThat(f.http.call("GET", "v3/account/whoami", token, null).errcode()).isEqualTo("M_UNKNOWN_TOKEN");
    }

    private static JsonObject password(String user, String password) {
        return new JsonObject().put("type", "m.login.password").put("password", password)
                .put("identifier", new JsonObject().put("type", "m.id.user").put("user", user));
    }

    /** Element's encrypted DM: Synapse's event order, the invitee an op, encryption from initial_state. */
    @Test
    void anEncryptedDirectMessageIsCreatedAsSynapseCreatesIt() throws Exception {
        HomeserverDouble.Session bob = f.user("bob");
        String room = f.ok("POST", "v3/createRoom", alice, new JsonObject().put("preset", "trusted_private_chat")
                .put("is_direct", true).put("invite", new JsonArray().add(bob.userId()))
                .put("initial_state", new JsonArray().add(new JsonObject().put("type", "m.room.encryption")
                        .put("state_key", "").put("content", new JsonObject().put("algorithm", "m.megolm.v1.aes-sha2")))))
                .getString("room_id");

        assertThat(f.hs.timeline(room)).extracting(e -> e.getString("type")).containsExactly("m.room.create",
                "m.room.member", "m.room.power_levels", "m.room.join_rules", "m.room.history_visibility",
                "m.room.guest_access", "m.room.encryption", "m.room.member");
        JsonObject levels = f.hs.state(room, "m.room.power_levels", "").getJsonObject("content");
        assertThat(levels.getJsonObject("users").getMap()).containsEntry(alice.userId(), 100).containsEntry(bob.userId(), 100);
        assertThat(levels.getInteger("invite")).isZero();
        assertThat(f.hs.state(room, "m.room.member", bob.userId()).getJsonObject("content").getMap())
                .containsEntry("membership", "invite").containsEntry("is_direct", true);
        assertThat(f.hs.state(room, "m.room.create", "").getJsonObject("content").getString("room_version")).isEqualTo("11");
    }

    @ParameterizedTest(name = "{0} -> {1} {2}")
    @CsvSource(delimiter = '|', textBlock = """
            {"preset":"secret_chat"}                                             | 400 | M_BAD_JSON
            {"invite":["bob"]}                                                   | 400 | M_UNKNOWN
            {"power_level_content_override":{"users":{"@bob:hs.test":100}}}      | 400 | M_UNKNOWN
            {"room_version":"99"}                                                | 400 | M_UNSUPPORTED_ROOM_VERSION
            {"initial_state":[{"type":"m.room.encryption"}]}                     | 400 | M_BAD_JSON
            """)
    void badCreateRoomRequestsAreRefusedAndCreateNothing(String body, int status, String errcode) throws Exception {
        HttpCalls.Answer answer = f.http.call("POST", "v3/createRoom", alice.accessToken(), body);
        assertThat(answer.status()).isEqualTo(status);
        assertThat(answer.errcode()).isEqualTo(errcode);
        assertThat(f.ok("GET", "v3/joined_rooms", alice, null).getJsonArray("joined_rooms")).isEmpty();
    }

    @Test
    void stateNeedsThePowerAndNonMembersReadNothing() throws Exception {
        HomeserverDouble.Session bob = f.user("bob");
        HomeserverDouble.Session eve = f.user("eve");
        String room = f.room(alice, bob);
        HttpCalls.Answer refused = f.call("PUT", "v3/rooms/" + enc(room) + "/state/m.room.topic", bob,
                new JsonObject().put("topic", "mine now"));
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.json().getString("error")).contains("user_level (0) < send_level (50)");
        assertThat(f.hs.state(room, "m.room.topic", "")).isNull();
        assertThat(f.call("GET", "v3/rooms/" + enc(room) + "/state/m.room.create", eve, null).status()).isEqualTo(403);
        assertThat(f.call("GET", "v3/rooms/" + enc(room) + "/messages", eve, null).status()).isEqualTo(403);
        assertThat(f.call("GET", "v3/rooms/" + enc(room) + "/state/m.room.topic", bob, null).errcode())
                .isEqualTo("M_NOT_FOUND");
        assertThat(f.ok("GET", "v3/rooms/" + enc(room) + "/joined_members", bob, null).getJsonObject("joined")
                .fieldNames()).containsExactlyInAnyOrder(alice.userId(), bob.userId());
    }

    @Test
    void aLostReplyMakesTheClientRepeatAndTheRepeatIsTheSameEvent() throws Exception {
        String room = f.room(alice);
        f.hs.injectLostReply("PUT", "/send/", 1, 502, new JsonObject().put("errcode", "M_UNKNOWN"));
        String path = "v3/rooms/" + enc(room) + "/send/m.room.message/once";
        assertThat(f.call("PUT", path, alice, new JsonObject().put("body", "hi")).status()).isEqualTo(502);
        String eventId = f.ok("PUT", path, alice, new JsonObject().put("body", "hi")).getString("event_id");
        assertThat(f.hs.timeline(room)).filteredOn(e -> e.getString("type").equals("m.room.message"))
                .extracting(e -> e.getString("event_id")).containsExactly(eventId);

        f.hs.inject("PUT", "/send/", 1, 429, new JsonObject().put("errcode", "M_LIMIT_EXCEEDED").put("retry_after_ms", 5));
        HttpCalls.Answer limited = f.call("PUT", "v3/rooms/" + enc(room) + "/send/m.room.message/2", alice,
                new JsonObject().put("body", "x"));
        assertThat(limited.json().getInteger("retry_after_ms")).isEqualTo(5);
        f.hs.injectSlow("GET", "/whoami", 1, Duration.ofMillis(50));
        assertThat(f.ok("GET", "v3/account/whoami", alice, null).getString("user_id")).isEqualTo(alice.userId());
    }

    @Test
    void anOlderHomeserverAnswers400Unrecognized() throws Exception {
        f.hs.answerAsOlderHomeserver("POST", "/appservice/");
        HttpCalls.Answer ping = f.http.call("POST", "v1/appservice/conclave/ping", "whatever", new JsonObject());
        assertThat(ping.status()).isEqualTo(400);
        assertThat(ping.errcode()).isEqualTo("M_UNRECOGNIZED");
    }

    /** The first cross-signing upload needs no password (MSC3967); replacing the keys does. */
    @Test
    void replacingCrossSigningKeysNeedsThePassword() throws Exception {
        JsonObject keys = new JsonObject().put("master_key", new JsonObject().put("user_id", alice.userId())
                .put("usage", new JsonArray().add("master")).put("keys", new JsonObject().put("ed25519:M", "M")));
        f.ok("POST", "v3/keys/device_signing/upload", alice, keys);
        HttpCalls.Answer challenge = f.call("POST", "v3/keys/device_signing/upload", alice, keys);
        assertThat(challenge.status()).isEqualTo(401);
        String session = challenge.json().getString("session");
        assertThat(challenge.json().getJsonArray("flows").getJsonObject(0).getJsonArray("stages")).containsExactly("m.login.password");
        JsonObject auth = password(alice.userId(), "pw").put("session", session);
        assertThat(f.call("POST", "v3/keys/device_signing/upload", alice, keys.copy().put("auth",
                password(alice.userId(), "wrong").put("session", session))).status()).isEqualTo(401);
        f.ok("POST", "v3/keys/device_signing/upload", alice, keys.copy().put("auth", auth));
        JsonObject query = f.ok("POST", "v3/keys/query", alice, new JsonObject().put("device_keys",
                new JsonObject().put(alice.userId(), new JsonArray())));
        assertThat(query.getJsonObject("master_keys").getJsonObject(alice.userId())).isEqualTo(keys.getJsonObject("master_key"));
    }

    @Test
    void oneTimeKeysAreClaimedOnceThenTheFallbackKey() throws Exception {
        HomeserverDouble.Session bob = f.user("bob");
        JsonObject counts = f.ok("POST", "v3/keys/upload", bob, new JsonObject()
                .put("one_time_keys", new JsonObject().put("signed_curve25519:A", new JsonObject().put("key", "a")))
                .put("fallback_keys", new JsonObject().put("signed_curve25519:F", new JsonObject().put("key", "f"))));
        assertThat(counts.getJsonObject("one_time_key_counts").getInteger("signed_curve25519")).isEqualTo(1);
        JsonObject claim = new JsonObject().put("one_time_keys", new JsonObject().put(bob.userId(),
                new JsonObject().put("BOB", "signed_curve25519")));
        List<String> claimed = List.of(
                f.ok("POST", "v3/keys/claim", alice, claim).encode(), f.ok("POST", "v3/keys/claim", alice, claim).encode());
        assertThat(claimed.get(0)).contains("signed_curve25519:A");
        assertThat(claimed.get(1)).contains("signed_curve25519:F");
        JsonObject sync = f.sync(bob, null, "");
        assertThat(sync.getJsonObject("device_one_time_keys_count").getInteger("signed_curve25519")).isZero();
        assertThat(sync.getJsonArray("device_unused_fallback_key_types")).isEmpty();
    }

    @Test
    void browsersGetCorsAnswersAsFromSynapse() throws Exception {
        HttpResponse<String> preflight = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(f.hs.url() + "/_matrix/client/v3/sync")).method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", "http://127.0.0.1:1").header("Access-Control-Request-Method", "GET").build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(preflight.statusCode()).isEqualTo(204);
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Headers").orElse("")).contains("Authorization");
    }
}
