package org.conclave.tests.homeserver;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.conclave.tests.homeserver.AppservicePusher.ToDeviceKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * To-device messages both ways between users and the appservice (MSC2409), against Conclave's real appservice
 * API: a user's {@code /sendToDevice} to the bot reaches the appservice in a transaction under the configured key(s),
 * as Synapse delivers it (only to devices the bot has); the appservice's own {@code /sendToDevice} as the bot
 * reaches the user's {@code /sync} and is gone once a later sync acknowledged it.
 */
class AppserviceToDeviceTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final String BOT_DEVICE = "CONCLAVE";

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @EnumSource(ToDeviceKey.class)
    void aUsersToDeviceMessageReachesTheAppserviceOnceUnderTheConfiguredKeys(ToDeviceKey key) throws Exception {
        try (InProcessAppservice as = InProcessAppservice.start(dir, AppservicePusher.Options.defaults().with(key))) {
            as.bootstrapped();
            HttpCalls http = new HttpCalls(as.hs.url());
            JsonObject bot = http.ok("POST", "v3/login", as.registration.asToken(), new JsonObject()
                    .put("type", "m.login.application_service").put("device_id", BOT_DEVICE)
                    .put("identifier", new JsonObject().put("type", "m.id.user").put("user", as.hs.botUserId())));
            assertThat(bot.getString("device_id")).isEqualTo(BOT_DEVICE);
            HomeserverDouble.Session alice = as.hs.login(as.hs.createUser("alice", "pw"), "ALICE");

            JsonObject content = new JsonObject().put("call_id", "c1").put("conf_id", "!room:hs.test");
            JsonObject body = new JsonObject().put("messages", new JsonObject().put(as.hs.botUserId(),
                    new JsonObject().put(BOT_DEVICE, content)));
            http.ok("PUT", "v3/sendToDevice/m.call.invite/t1", alice.accessToken(), body);
            http.ok("PUT", "v3/sendToDevice/m.call.invite/t1", alice.accessToken(), body); // a retry: same send
            http.ok("PUT", "v3/sendToDevice/m.call.invite/t2", alice.accessToken(), new JsonObject().put("messages",
                    new JsonObject().put(as.hs.botUserId(), new JsonObject().put("NO_SUCH_DEVICE", content))));
            http.ok("PUT", "v3/sendToDevice/m.call.candidates/t3", alice.accessToken(), new JsonObject().put(
                    "messages", new JsonObject().put(as.hs.botUserId(), new JsonObject().put("*", content))));
            as.hs.pusher().awaitIdle(TIMEOUT);

            List<AppservicePusher.Delivery> withToDevice = as.hs.pusher().deliveries().stream()
                    .filter(d -> !d.toDevice().isEmpty()).toList();
            List<JsonObject> messages = withToDevice.stream().flatMap(d -> d.toDevice().stream()).toList();
            assertThat(messages).extracting(m -> m.getString("type") + " " + m.getString("to_device_id"))
                    .as("the unknown device gets nothing; * is the bot's one device")
                    .containsExactly("m.call.invite " + BOT_DEVICE, "m.call.candidates " + BOT_DEVICE);
            assertThat(messages.get(0).getMap()).containsEntry("sender", alice.userId())
                    .containsEntry("to_user_id", as.hs.botUserId());
            assertThat(messages.get(0).getJsonObject("content")).isEqualTo(content);
            Set<String> expectedKeys = switch (key) {
                case UNSTABLE -> Set.of("events", "de.sorunome.msc2409.to_device");
                case STABLE -> Set.of("events", "to_device");
                case BOTH -> Set.of("events", "to_device", "de.sorunome.msc2409.to_device");
            };
            assertThat(withToDevice).allSatisfy(d -> assertThat(d.bodyKeys()).isEqualTo(expectedKeys));
            assertThat(as.recorder.ids()).as("handed to the handler once each")
                    .containsExactly("to-device:m.call.invite", "to-device:m.call.candidates");
        }
    }

    /** A homeserver more lenient than Synapse passes on whatever device id the sender named, * included. */
    @Test
    void aLenientHomeserverDeliversToAnyDeviceIdOfTheBot() throws Exception {
        try (InProcessAppservice as = InProcessAppservice.start(dir, AppservicePusher.Options.defaults())) {
            as.bootstrapped();
            as.hs.appserviceToDevice(ToDevice.AppserviceDevices.ANY);
            HomeserverDouble.Session alice = as.hs.login(as.hs.createUser("alice", "pw"), "ALICE");
            new HttpCalls(as.hs.url()).ok("PUT", "v3/sendToDevice/m.call.invite/t1", alice.accessToken(),
                    new JsonObject().put("messages", new JsonObject().put(as.hs.botUserId(), new JsonObject()
                            .put("ANY_ID", new JsonObject()).put("*", new JsonObject()))));
            as.hs.pusher().awaitIdle(TIMEOUT);
            assertThat(as.hs.pusher().deliveries().stream().flatMap(d -> d.toDevice().stream())
                    .map(m -> m.getString("to_device_id"))).containsExactlyInAnyOrder("ANY_ID", "*");
        }
    }

    @Test
    void theAppservicesToDeviceMessageReachesTheUsersSyncUntilAcknowledged() throws Exception {
        try (InProcessAppservice as = InProcessAppservice.start(dir, AppservicePusher.Options.defaults())) {
            as.bootstrapped();
            HttpCalls http = new HttpCalls(as.hs.url());
            HomeserverDouble.Session alice = as.hs.login(as.hs.createUser("alice", "pw"), "ALICE");
            String since = http.ok("GET", "v3/sync", alice.accessToken(), null).getString("next_batch");

            String bot = java.net.URLEncoder.encode(as.hs.botUserId(), java.nio.charset.StandardCharsets.UTF_8);
            JsonObject answer = new JsonObject().put("call_id", "c1").put("version", "1");
            http.ok("PUT", "v3/sendToDevice/m.call.answer/a1?user_id=" + bot, as.registration.asToken(),
                    new JsonObject().put("messages", new JsonObject().put(alice.userId(),
                            new JsonObject().put("*", answer))));
            JsonObject sync = http.ok("GET", "v3/sync?timeout=5000&since=" + since, alice.accessToken(), null);
            JsonArray events = sync.getJsonObject("to_device").getJsonArray("events");
            assertThat(events).hasSize(1);
            assertThat(events.getJsonObject(0).getMap()).containsEntry("type", "m.call.answer")
                    .containsEntry("sender", as.hs.botUserId());
            assertThat(events.getJsonObject(0).getJsonObject("content")).isEqualTo(answer);

            JsonObject again = http.ok("GET", "v3/sync?since=" + since, alice.accessToken(), null);
            assertThat(again.getJsonObject("to_device").getJsonArray("events")).as("not acknowledged yet").hasSize(1);
            JsonObject next = http.ok("GET", "v3/sync?since=" + sync.getString("next_batch"), alice.accessToken(), null);
            assertThat(next.getJsonObject("to_device").getJsonArray("events")).isEmpty();
            assertThat(as.hs.pendingToDevice(alice.userId(), "ALICE")).isZero();
        }
    }
}
