package org.conclave.tests.homeserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.conclave.appservice.config.AppserviceConfig;
import org.conclave.appservice.intent.AppserviceClient;
import org.conclave.appservice.intent.HomeserverClient;
import org.conclave.appservice.intent.Intent;
import org.conclave.appservice.intent.MatrixHttpException;
import org.conclave.appservice.intent.RetryPolicy;
import org.conclave.appservice.intent.TxnIds;
import org.conclave.appservice.registration.Registration;
import org.conclave.appservice.registration.UserNamespace;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The appservice's client-server API client against the homeserver double: auth, masquerading, retries. */
class IntentTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final int ATTEMPTS = 4;
    private static final long BACKOFF_MS = 100;

    @TempDir
    Path dir;

    private final Vertx vertx = Vertx.vertx();
    private HomeserverDouble hs;
    private AppserviceClient client;
    private Registration registration;
    private AppserviceConfig config;

    @BeforeEach
    void start() throws Exception {
        config = Fixtures.config(dir, 0, "http://127.0.0.1:1");
        registration = Fixtures.registration(config, "http://127.0.0.1:1");
        hs = HomeserverDouble.start(vertx, registration, Fixtures.SERVER_NAME, AppservicePusher.Options.defaults());
        client = client(hs.url(), registration.asToken());
    }

    @AfterEach
    void stop() throws Exception {
        client.close();
        hs.close();
        vertx.close().await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    private AppserviceClient client(String url, String asToken) {
        return new AppserviceClient(new HomeserverClient(vertx, url, asToken, new RetryPolicy(ATTEMPTS, BACKOFF_MS),
                5_000), new UserNamespace(config));
    }

    private static <T> T await(Future<T> future) throws Exception {
        return future.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Test
    void registeringTwiceIsFineAndCreatesNoDeviceOrToken() throws Exception {
        Intent user = client.intent("@_conclave_alpha:hs.test");

        await(user.ensureRegistered());
        await(user.ensureRegistered());
        await(client.bot().ensureRegistered());

        assertThat(hs.registrations()).containsExactly("_conclave_alpha", "_conclave_alpha", "conclave");
        assertThat(hs.isRegistered("@_conclave_alpha:hs.test")).isTrue();
        List<HomeserverDouble.Request> registers = hs.requests("POST", "/register");
        assertThat(registers).extracting(HomeserverDouble.Request::status).containsExactly(200, 400, 400);
        // Account management: no identity assertion.
        assertThat(registers).allMatch(r -> r.userId() == null);
    }

    @Test
    void displayNameIsSetOnlyWhenItDiffers() throws Exception {
        await(client.bot().setDisplayName("Conclave"));
        await(client.bot().setDisplayName("Conclave"));

        assertThat(hs.displayName(hs.botUserId())).isEqualTo("Conclave");
        assertThat(await(client.bot().displayName())).isEqualTo("Conclave");
        assertThat(hs.requests("PUT", "/displayname")).hasSize(1);
    }

    @Test
    void usersAreAssertedWithUserIdAndTheTokenTravelsInTheHeaderOnly() throws Exception {
        Intent user = client.intent("@_conclave_beta:hs.test");

        assertThatThrownBy(() -> await(user.whoami())).isInstanceOfSatisfying(MatrixHttpException.class, e -> {
            assertThat(e.status()).isEqualTo(403);
            assertThat(e.errcode()).isEqualTo("M_FORBIDDEN");
            assertThat(e.getMessage()).contains("GET /_matrix/client/v3/account/whoami").doesNotContain("user_id")
                    .doesNotContain(registration.asToken());
        });
        await(user.ensureRegistered());

        assertThat(await(user.whoami())).isEqualTo("@_conclave_beta:hs.test");
        assertThat(await(client.bot().whoami())).isEqualTo(hs.botUserId());
        assertThat(hs.requests("GET", "/whoami")).extracting(HomeserverDouble.Request::userId)
                .containsExactly("@_conclave_beta:hs.test", "@_conclave_beta:hs.test", hs.botUserId());
        assertThat(hs.requests()).allMatch(HomeserverDouble.Request::tokenInHeader)
                .noneMatch(r -> r.queryKeys().contains("access_token"));
        assertThatThrownBy(() -> client.intent("@alice:hs.test")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aWrongAsTokenIsRefusedAndNotRetried() throws Exception {
        AppserviceClient wrong = client(hs.url(), "not-the-token");

        assertThatThrownBy(() -> await(wrong.bot().whoami())).isInstanceOfSatisfying(MatrixHttpException.class,
                e -> assertThat(e.errcode()).isEqualTo("M_UNKNOWN_TOKEN"));
        assertThat(hs.requests("GET", "/whoami")).hasSize(1);
        wrong.close();
    }

    @Test
    void joinSendStateAndMembersWorkInARoomTheBotWasInvitedTo() throws Exception {
        ScriptedClient alice = hs.client("alice");
        // Not a DM: Element's DMs make the invitee an op (trusted_private_chat), and this test raises the bot to 50.
        String room = alice.createRoom(RoomOptions.privateRoom("r").encrypted(true).inviting(hs.botUserId()));
        Intent bot = client.bot();

        assertThat(await(bot.join(room))).isEqualTo(room);
        String txnId = TxnIds.derived("$cause", "notice");
        String first = await(bot.sendEvent(room, "m.room.message", new JsonObject().put("body", "hi"), txnId));
        String again = await(bot.sendEvent(room, "m.room.message", new JsonObject().put("body", "hi"), txnId));
        assertThat(again).isEqualTo(first);
        assertThat(hs.timeline(room)).filteredOn(e -> e.getString("type").equals("m.room.message")).hasSize(1);

        // Not starting with '@': such a state key belongs to that user (spec auth rules).
        String stateKey = "odd/key?#:@hs.test";
        assertThat(await(bot.stateEvent(room, "org.conclave.test", stateKey))).isNull();
        alice.setPowerLevel(room, hs.botUserId(), 50);
        await(bot.sendStateEvent(room, "org.conclave.test", stateKey, new JsonObject().put("v", 1)));
        assertThat(await(bot.stateEvent(room, "org.conclave.test", stateKey))).isEqualTo(new JsonObject().put("v", 1));
        assertThat(hs.state(room, "org.conclave.test", stateKey)).isNotNull();
        assertThat(await(bot.stateEvent(room, "m.room.encryption", "")).getString("algorithm"))
                .isEqualTo("m.megolm.v1.aes-sha2");

        List<JsonObject> members = await(bot.members(room));
        assertThat(members).extracting(m -> m.getString("state_key") + "=" + m.getJsonObject("content")
                .getString("membership")).containsExactlyInAnyOrder("@alice:hs.test=join", hs.botUserId() + "=join");
        await(bot.leave(room));
        assertThat(hs.membership(room, hs.botUserId())).isEqualTo("leave");
    }

    @Test
    void refusalsAreNotRetried() throws Exception {
        ScriptedClient alice = hs.client("alice");
        String room = alice.createRoom(RoomOptions.privateRoom("closed"));

        assertThatThrownBy(() -> await(client.bot().join(room))).isInstanceOfSatisfying(MatrixHttpException.class,
                e -> assertThat(e.status()).isEqualTo(403));
        assertThatThrownBy(() -> await(client.bot().sendEvent(room, "m.room.message", new JsonObject(), "t1")))
                .isInstanceOfSatisfying(MatrixHttpException.class, e -> assertThat(e.attempts()).isEqualTo(1));
        assertThat(hs.requests("POST", "/join/")).hasSize(1);
        assertThat(hs.requests("PUT", "/send/")).hasSize(1);
    }

    @Test
    void serverErrorsAreRetriedWithGrowingWaitsAndTheSendHappensOnce() throws Exception {
        String room = roomWithBot();
        hs.inject("PUT", "/send/", 2, 502, new JsonObject().put("errcode", "M_UNKNOWN"));

        String eventId = await(client.bot().sendEvent(room, "m.room.message", new JsonObject(), "retry-1"));

        List<HomeserverDouble.Request> sends = hs.requests("PUT", "/send/");
        assertThat(sends).extracting(HomeserverDouble.Request::status).containsExactly(502, 502, 200);
        assertThat(gapMs(sends, 0)).isGreaterThanOrEqualTo(BACKOFF_MS);
        assertThat(gapMs(sends, 1)).isGreaterThanOrEqualTo(BACKOFF_MS);
        assertThat(hs.timeline(room)).filteredOn(e -> e.getString("event_id").equals(eventId)).hasSize(1);
    }

    @Test
    void aRateLimitIsWaitedOutForAsLongAsTheHomeserverAsks() throws Exception {
        String room = roomWithBot();
        hs.inject("PUT", "/send/", 1, 429, new JsonObject().put("errcode", "M_LIMIT_EXCEEDED")
                .put("retry_after_ms", 400));

        await(client.bot().sendEvent(room, "m.room.message", new JsonObject(), "limited-1"));

        List<HomeserverDouble.Request> sends = hs.requests("PUT", "/send/");
        assertThat(sends).extracting(HomeserverDouble.Request::status).containsExactly(429, 200);
        assertThat(gapMs(sends, 0)).isGreaterThanOrEqualTo(400);
    }

    @Test
    void triesStopAtTheConfiguredLimit() throws Exception {
        String room = roomWithBot();
        hs.inject("PUT", "/send/", ATTEMPTS + 1, 503, new JsonObject().put("errcode", "M_UNKNOWN"));
        hs.inject("GET", "/members", 1, 501, new JsonObject().put("errcode", "M_UNRECOGNIZED"));

        assertThatThrownBy(() -> await(client.bot().sendEvent(room, "m.room.message", new JsonObject(), "x")))
                .isInstanceOfSatisfying(MatrixHttpException.class, e -> {
                    assertThat(e.status()).isEqualTo(503);
                    assertThat(e.attempts()).isEqualTo(ATTEMPTS);
                });
        assertThat(hs.requests("PUT", "/send/")).hasSize(ATTEMPTS);
        assertThatThrownBy(() -> await(client.bot().members(room))).isInstanceOfSatisfying(MatrixHttpException.class,
                e -> assertThat(e.attempts()).isEqualTo(1));
    }

    @Test
    void anUnreachableHomeserverFailsWithStatusZeroAfterEveryTry() throws Exception {
        AppserviceClient nowhere = client("http://127.0.0.1:" + Fixtures.freePort(), registration.asToken());

        assertThatThrownBy(() -> await(nowhere.bot().whoami())).isInstanceOfSatisfying(MatrixHttpException.class,
                e -> {
                    assertThat(e.status()).isZero();
                    assertThat(e.attempts()).isEqualTo(ATTEMPTS);
                    assertThat(e.getMessage()).contains("no answer").doesNotContain(registration.asToken());
                });
        nowhere.close();
    }

    private String roomWithBot() throws Exception {
        ScriptedClient alice = hs.client("alice");
        String room = alice.createRoom(RoomOptions.privateRoom("r").inviting(hs.botUserId()));
        await(client.bot().join(room));
        return room;
    }

    private static long gapMs(List<HomeserverDouble.Request> requests, int i) {
        return (requests.get(i + 1).atNanos() - requests.get(i).atNanos()) / 1_000_000;
    }
}
