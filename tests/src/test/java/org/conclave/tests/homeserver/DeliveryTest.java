package org.conclave.tests.homeserver;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.conclave.tests.homeserver.AppservicePusher.AuthStyle;
import org.conclave.tests.homeserver.AppservicePusher.PathStyle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Transactions from the homeserver double to a running appservice, the ways Synapse sends (and resends) them. */
class DeliveryTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0} on {1}")
    @CsvSource(textBlock = """
            HEADER, V1
            QUERY,  LEGACY
            BOTH,   V1
            QUERY,  V1
            HEADER, LEGACY
            """)
    void everyEventTheAppserviceIsInterestedInIsHandedOverOnceInOrder(AuthStyle auth, PathStyle path)
            throws Exception {
        try (InProcessAppservice app = InProcessAppservice.start(dir,
                AppservicePusher.Options.defaults().with(auth).with(path).withMaxBatch(3))) {
            HomeserverDouble hs = app.hs;
            hs.pusher().pause();
            ScriptedClient alice = hs.client("alice");
            ScriptedClient bob = hs.client("bob");
            String conference = alice.createRoom(RoomOptions.privateRoom("conference").inviting(hs.botUserId()));
            String elsewhere = bob.createRoom(RoomOptions.privateRoom("not ours"));
            for (int i = 0; i < 7; i++) alice.sendText(conference, "message " + i);
            bob.sendText(elsewhere, "nobody of the appservice is here");

            hs.pusher().resume();
            hs.pusher().awaitIdle(TIMEOUT);

            List<String> expected = hs.timeline(conference).stream()
                    .dropWhile(e -> !e.getString("type").equals("m.room.member")
                            || !hs.botUserId().equals(e.getString("state_key")))
                    .map(e -> e.getString("event_id")).toList();
            assertThat(expected).hasSize(8);
            assertThat(app.recorder.ids()).containsExactlyElementsOf(expected);
            assertThat(hs.pusher().deliveries()).allMatch(d -> d.status() == 200);
            // 8 events queued while paused, at most 3 per transaction.
            assertThat(hs.pusher().deliveries()).extracting(d -> d.txnId() + ":" + d.eventIds().size())
                    .containsExactly("1:3", "2:3", "3:2");
        }
    }

    @Test
    void aRedeliveredTransactionIsAcknowledgedButNotHandedOverAgain() throws Exception {
        try (InProcessAppservice app = InProcessAppservice.start(dir, AppservicePusher.Options.defaults())) {
            HomeserverDouble hs = app.hs;
            String room = hs.client("alice").createRoom(RoomOptions.directMessage(hs.botUserId()));
            hs.pusher().awaitIdle(TIMEOUT);
            List<String> before = app.recorder.ids();
            int attempts = hs.pusher().deliveries().size();

            hs.pusher().redeliverLast();
            hs.pusher().redeliverLast();
            hs.pusher().awaitDeliveries(attempts + 2, TIMEOUT);

            assertThat(hs.pusher().deliveries().subList(attempts, attempts + 2))
                    .allMatch(d -> d.duplicate() && d.status() == 200);
            assertThat(app.recorder.ids()).isEqualTo(before).isNotEmpty();
            assertThat(hs.timeline(room)).isNotEmpty();
        }
    }

    @Test
    void transactionIdsCountingFromOneAgainAreNewTransactions() throws Exception {
        try (InProcessAppservice app = InProcessAppservice.start(dir, AppservicePusher.Options.defaults())) {
            HomeserverDouble hs = app.hs;
            ScriptedClient alice = hs.client("alice");
            String room = alice.createRoom(RoomOptions.privateRoom("r").inviting(hs.botUserId()));
            hs.pusher().awaitIdle(TIMEOUT);

            hs.pusher().restartTxnIds();
            String later = alice.sendText(room, "after the homeserver restarted");
            hs.pusher().awaitIdle(TIMEOUT);

            List<AppservicePusher.Delivery> deliveries = hs.pusher().deliveries();
            assertThat(deliveries).extracting(AppservicePusher.Delivery::txnId).containsExactly("1", "1");
            assertThat(deliveries.get(1).eventIds()).containsExactly(later);
            assertThat(app.recorder.ids()).endsWith(later).doesNotHaveDuplicates();
        }
    }

    @Test
    void refusedDeliveriesAreRetriedWithBackoffAndChangeNothingUntilAccepted() throws Exception {
        try (InProcessAppservice app = InProcessAppservice.start(dir, AppservicePusher.Options.defaults())) {
            HomeserverDouble hs = app.hs;
            app.bootstrapped();
            hs.presentHsToken("wrong-hs-token");
            String room = hs.client("alice").createRoom(RoomOptions.privateRoom("r").inviting(hs.botUserId()));
            hs.pusher().awaitDeliveries(3, TIMEOUT);

            assertThat(app.recorder.entries()).isEmpty();
            hs.presentHsToken(app.registration.hsToken());
            hs.pusher().awaitIdle(TIMEOUT);

            List<AppservicePusher.Delivery> deliveries = hs.pusher().deliveries();
            assertThat(deliveries).extracting(AppservicePusher.Delivery::txnId).containsOnly("1");
            assertThat(deliveries.get(0).status()).isEqualTo(403);
            assertThat(deliveries.get(deliveries.size() - 1).status()).isEqualTo(200);
            assertThat(app.recorder.ids()).containsExactly(hs.timeline(room).stream()
                    .filter(e -> hs.botUserId().equals(e.getString("state_key")))
                    .map(e -> e.getString("event_id")).toArray(String[]::new));
        }
    }

    @Test
    void edusAndToDeviceMessagesReachTheHandler() throws Exception {
        try (InProcessAppservice app = InProcessAppservice.start(dir, AppservicePusher.Options.defaults())) {
            HomeserverDouble hs = app.hs;
            hs.pusher().offerEphemeral(new JsonObject().put("type", "m.typing").put("room_id", "!r:hs.test")
                    .put("content", new JsonObject().put("user_ids", List.of("@alice:hs.test"))));
            hs.pusher().offerToDevice(new JsonObject().put("type", "m.room.encrypted").put("sender", "@alice:hs.test")
                    .put("to_user_id", hs.botUserId()).put("to_device_id", "CONCLAVE")
                    .put("content", new JsonObject()));

            hs.pusher().awaitIdle(TIMEOUT);

            assertThat(app.recorder.entries()).extracting(Recorder.Entry::id)
                    .containsExactly("edu:m.typing", "to-device:m.room.encrypted");
        }
    }
}
