package org.conclave.tests.homeserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.conclave.appservice.registration.Registration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The double itself: it must refuse what a real homeserver refuses, or the appservice's tests prove little. */
class HomeserverDoubleTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

    @TempDir
    Path dir;

    private final Vertx vertx = Vertx.vertx();
    private HomeserverDouble hs;
    private Registration registration;

    @BeforeEach
    void start() throws Exception {
        registration = Fixtures.registration(Fixtures.config(dir, 0, "http://127.0.0.1:1"), "http://127.0.0.1:1");
        hs = HomeserverDouble.start(vertx, registration, Fixtures.SERVER_NAME, AppservicePusher.Options.defaults());
    }

    @AfterEach
    void stop() throws Exception {
        hs.close();
        vertx.close().await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** token: "as" = the as_token in the header, "query" = in the query, "-" = none, anything else sent as is. */
    @ParameterizedTest(name = "{0} {1} token={2} -> {3} {4}")
    @CsvSource(textBlock = """
            GET,  /_matrix/client/v3/account/whoami,                              -,     401, M_MISSING_TOKEN
            GET,  /_matrix/client/v3/account/whoami,                              wrong, 401, M_UNKNOWN_TOKEN
            GET,  /_matrix/client/v3/account/whoami,                              as,    200,
            GET,  /_matrix/client/v3/account/whoami,                              query, 200,
            GET,  /_matrix/client/v3/account/whoami?user_id=%40alice%3Ahs.test,   as,    403, M_FORBIDDEN
            GET,  /_matrix/client/v3/account/whoami?user_id=%40_conclave_x%3Ahs.test, as, 403, M_FORBIDDEN
            POST, /_matrix/client/v3/register,                                    as,    400, M_EXCLUSIVE
            GET,  /_matrix/client/v3/nothing,                                     as,    404, M_UNRECOGNIZED
            POST, /_matrix/client/v1/appservice/other/ping,                       as,    403, M_FORBIDDEN
            """)
    void clientServerRequestsNeedTheAsTokenAndANamespaceUser(String method, String path, String token, int status,
            String errcode) throws Exception {
        String body = path.endsWith("/register")
                ? "{\"type\":\"m.login.application_service\",\"username\":\"alice\"}" : "{}";
        String uri = hs.url() + path;
        HttpRequest.Builder request = HttpRequest.newBuilder().timeout(TIMEOUT)
                .method(method, method.equals("GET") ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        switch (token) {
            case "as" -> request.header("Authorization", "Bearer " + registration.asToken());
            case "query" -> uri += (uri.contains("?") ? "&" : "?") + "access_token=" + registration.asToken();
            case "-" -> { }
            default -> request.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> response = HTTP.send(request.uri(URI.create(uri)).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(status);
        if (errcode != null) assertThat(new JsonObject(response.body()).getString("errcode")).isEqualTo(errcode);
    }

    @Test
    void roomRulesAreEnforced() {
        ScriptedClient alice = hs.client("alice");
        ScriptedClient bob = hs.client("bob");
        ScriptedClient carol = hs.client("carol");
        String room = alice.createRoom(RoomOptions.privateRoom("r").inviting(bob.userId()));

        assertThatThrownBy(() -> carol.join(room)).isInstanceOfSatisfying(MatrixFailure.class,
                e -> assertThat(e.status()).isEqualTo(403));
        assertThatThrownBy(() -> carol.sendText(room, "not a member")).isInstanceOf(MatrixFailure.class);
        bob.join(room);
        assertThatThrownBy(() -> bob.sendState(room, "m.room.name", "", new JsonObject().put("name", "x")))
                .hasMessageContaining("user_level (0) < send_level (50)");
        assertThatThrownBy(() -> bob.kick(room, alice.userId())).hasMessageContaining("You cannot kick user");
        alice.setPowerLevel(room, bob.userId(), 50);
        bob.sendState(room, "m.room.name", "", new JsonObject().put("name", "renamed"));
        alice.kick(room, bob.userId());

        assertThat(hs.membership(room, bob.userId())).isEqualTo("leave");
        assertThat(hs.state(room, "m.room.name", "").getJsonObject("content").getString("name")).isEqualTo("renamed");
        assertThat(hs.state(room, "m.room.power_levels", "").getJsonObject("content").getJsonObject("users")
                .getMap()).containsEntry(bob.userId(), 50).containsEntry(alice.userId(), 100);
        assertThatThrownBy(() -> hs.client("_conclave_fake")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void directMessagesAreEncryptedAndInviteWithIsDirect() {
        ScriptedClient alice = hs.client("alice");
        String room = alice.createRoom(RoomOptions.directMessage(hs.botUserId()));

        assertThat(hs.state(room, "m.room.encryption", "")).isNotNull();
        JsonObject invite = hs.state(room, "m.room.member", hs.botUserId());
        assertThat(invite.getJsonObject("content").getMap()).containsEntry("membership", "invite")
                .containsEntry("is_direct", true);
    }

    @Test
    void onlyEventsTheAppserviceIsInterestedInArePushed() throws Exception {
        hs.pusher().pause();
        ScriptedClient alice = hs.client("alice");
        String unrelated = alice.createRoom(RoomOptions.privateRoom("no appservice here"));
        alice.sendText(unrelated, "hello");
        String dm = alice.createRoom(RoomOptions.directMessage(hs.botUserId()));
        String afterInvite = alice.sendText(dm, "call me");
        hs.appserviceUrl("http://127.0.0.1:" + Fixtures.freePort());
        hs.pusher().resume();
        hs.pusher().awaitDeliveries(1, TIMEOUT);

        List<String> pushed = hs.pusher().deliveries().get(0).eventIds();
        assertThat(pushed).hasSize(2).endsWith(afterInvite);
        assertThat(pushed).noneMatch(id -> hs.timeline(unrelated).stream()
                .anyMatch(e -> e.getString("event_id").equals(id)));
        assertThat(hs.pusher().deliveries().get(0).status()).isZero();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            /_matrix/client/v3/rooms/%21a%3Ahs/state/x/   | _matrix,client,v3,rooms,!a:hs,state,x,
            /a/%2F%3F%23/b+c                               | a,/?#,b+c
            /%C3%BC/%zz/%4                                 | ü,%zz,%4
            """)
    void pathSegmentsArePercentDecodedOneByOne(String raw, String expected) {
        assertThat(HomeserverDouble.segments(raw)).containsExactly(expected.split(",", -1));
    }

    @Test
    void powerLevelsDefaultLikeTheSpec() {
        Room room = new Room("!r:hs");
        room.append(new JsonObject().put("type", "m.room.create").put("state_key", "").put("sender", "@c:hs")
                .put("content", new JsonObject()));

        assertThat(room.powerLevel("@c:hs")).isEqualTo(100);
        assertThat(room.powerLevel("@x:hs")).isZero();
        assertThat(room.requiredLevel("m.room.name", true)).isEqualTo(50);
        room.append(new JsonObject().put("type", "m.room.power_levels").put("state_key", "").put("sender", "@c:hs")
                .put("content", new JsonObject(Map.of("users", Map.of("@x:hs", 10), "users_default", 1,
                        "events", Map.of("m.call.invite", 5), "events_default", 2))));
        assertThat(room.powerLevel("@x:hs")).isEqualTo(10);
        assertThat(room.powerLevel("@c:hs")).isEqualTo(1);
        assertThat(room.requiredLevel("m.call.invite", false)).isEqualTo(5);
        assertThat(room.requiredLevel("m.room.message", false)).isEqualTo(2);
    }
}
