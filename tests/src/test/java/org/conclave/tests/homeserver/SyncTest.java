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
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code /sync} over real HTTP: tokens, long-poll, to-device acknowledgement, device lists, timelines. */
class SyncTest {
    /** Between two looks at the double's held syncs (only observable by asking). */
    private static final long POLL_MS = 10;
    @TempDir
    Path dir;

    private DoubleFixture f;
    private HomeserverDouble.Session alice;
    private HomeserverDouble.Session bob;

    @BeforeEach
    void start() throws Exception {
        f = new DoubleFixture(dir);
        alice = f.user("alice");
        bob = f.user("bob");
    }

    @AfterEach
    void stop() throws Exception {
        f.close();
    }

    @Test
    void toDeviceMessagesStayUntilALaterSinceAcknowledgesThem() throws Exception {
        String since = f.sync(bob, null, "").getString("next_batch");
        JsonObject messages = new JsonObject().put("messages", new JsonObject().put(bob.userId(),
                new JsonObject().put("*", new JsonObject().put("n", 1))));
        f.ok("PUT", "v3/sendToDevice/org.test/t1", alice, messages);
        f.ok("PUT", "v3/sendToDevice/org.test/t1", alice, messages); // retried: the same send
        f.ok("PUT", "v3/sendToDevice/org.test/t2", alice, new JsonObject().put("messages", new JsonObject()
                .put(bob.userId(), new JsonObject().put("NO_SUCH_DEVICE", new JsonObject().put("n", 2)))));
        f.ok("PUT", "v3/sendToDevice/org.test/t3", alice, new JsonObject().put("messages", new JsonObject()
                .put(bob.userId(), new JsonObject().put("BOB", new JsonObject().put("n", 3)))));

        JsonObject first = f.sync(bob, since, "");
        assertThat(numbers(first)).containsExactly(1, 3);
        assertThat(numbers(f.sync(bob, since, ""))).as("the same since: not acknowledged").containsExactly(1, 3);
        assertThat(f.hs.pendingToDevice(bob.userId(), "BOB")).isEqualTo(2);
        assertThat(numbers(f.sync(bob, first.getString("next_batch"), ""))).isEmpty();
        assertThat(f.hs.pendingToDevice(bob.userId(), "BOB")).isZero();
        assertThat(first.getJsonObject("to_device").getJsonArray("events").getJsonObject(0).getMap())
                .containsEntry("sender", alice.userId()).containsEntry("type", "org.test");
    }

    @Test
    void interferenceDropsOrRewritesOnlyTheMessagesItIsGivenAndIsOffByDefault() throws Exception {
        String since = f.sync(bob, null, "").getString("next_batch");
        f.ok("PUT", "v3/sendToDevice/org.test/i1", alice, toBob(1));
        f.hs.interfereWithToDevice(m -> {
            if (!alice.userId().equals(m.getString("sender")) || !"BOB".equals(m.getString("to_device_id"))) return m;
            int n = m.getJsonObject("content").getInteger("n");
            return n == 2 ? null : m.put("content", new JsonObject().put("n", n * 10));
        });
        f.ok("PUT", "v3/sendToDevice/org.test/i2", alice, toBob(2)); // lost, yet the sender got 200
        f.ok("PUT", "v3/sendToDevice/org.test/i3", alice, toBob(3)); // rewritten
        f.ok("PUT", "v3/sendToDevice/org.test/i4", bob, new JsonObject().put("messages", new JsonObject()
                .put(bob.userId(), new JsonObject().put("BOB", new JsonObject().put("n", 4))))); // not from alice
        assertThat(f.hs.toDeviceInterfered()).isEqualTo(2);
        f.hs.interfereWithToDevice(java.util.function.UnaryOperator.identity());
        f.ok("PUT", "v3/sendToDevice/org.test/i5", alice, toBob(5));

        JsonObject sync = f.sync(bob, since, "");
        assertThat(numbers(sync)).containsExactly(1, 30, 4, 5);
        assertThat(sync.getJsonObject("to_device").getJsonArray("events").getJsonObject(1).fieldNames())
                .as("delivered as a homeserver delivers it").containsExactlyInAnyOrder("type", "sender", "content");
        assertThat(f.hs.toDeviceInterfered()).isEqualTo(2);
    }

    private JsonObject toBob(int n) {
        return new JsonObject().put("messages", new JsonObject().put(bob.userId(),
                new JsonObject().put("BOB", new JsonObject().put("n", n))));
    }

    private static List<Integer> numbers(JsonObject sync) {
        return sync.getJsonObject("to_device").getJsonArray("events").stream()
                .map(e -> ((JsonObject) e).getJsonObject("content").getInteger("n")).toList();
    }

    @Test
    void aLongPollAnswersWhenSomethingArrivesAndEmptyWhenNothingDoes() throws Exception {
        String room = f.room(alice, bob);
        String since = f.sync(bob, null, "").getString("next_batch");
        JsonObject empty = f.sync(bob, since, "timeout=100");
        assertThat(empty.getJsonObject("rooms").getJsonObject("join")).isEmpty();

        CompletableFuture<HttpResponse<String>> held = HttpClient.newHttpClient().sendAsync(HttpRequest.newBuilder(
                        URI.create(f.hs.url() + "/_matrix/client/v3/sync?timeout=30000&since=" + since))
                .header("Authorization", "Bearer " + bob.accessToken()).build(), HttpResponse.BodyHandlers.ofString());
        long deadline = System.nanoTime() + DoubleFixture.TIMEOUT.toNanos();
        while (f.hs.heldSyncs() == 0) {
            assertThat(System.nanoTime()).as("the sync is held").isLessThan(deadline);
            Thread.sleep(POLL_MS);
        }
        assertThat(held).isNotDone();
        String eventId = f.send(alice, room, "wake up", "w1");
        JsonObject woken = new JsonObject(held.get(DoubleFixture.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).body());
        JsonArray events = woken.getJsonObject("rooms").getJsonObject("join").getJsonObject(room)
                .getJsonObject("timeline").getJsonArray("events");
        assertThat(events.stream().map(e -> ((JsonObject) e).getString("event_id"))).containsExactly(eventId);
    }

    @Test
    void roomsInterleaveInOrderAndOnlyTheSendingDeviceSeesItsTransactionId() throws Exception {
        String one = f.room(alice, bob);
        String two = f.room(alice, bob);
        String since = f.sync(alice, null, "").getString("next_batch");
        String a1 = f.send(alice, one, "1", "x1");
        String b1 = f.send(bob, two, "2", "x2");
        String a2 = f.send(alice, one, "3", "x3");
        String b2 = f.send(alice, two, "4", "x4");

        JsonObject join = f.sync(alice, since, "").getJsonObject("rooms").getJsonObject("join");
        assertThat(ids(join, one)).containsExactly(a1, a2);
        assertThat(ids(join, two)).containsExactly(b1, b2);
        JsonObject mine = timeline(join, one).getJsonObject(0);
        assertThat(mine.getJsonObject("unsigned").getString("transaction_id")).isEqualTo("x1");
        assertThat(mine.containsKey("room_id")).as("sync events carry no room_id, as Synapse's").isFalse();
        JsonObject bobs = timeline(f.sync(bob, since, "").getJsonObject("rooms").getJsonObject("join"), one)
                .getJsonObject(0);
        assertThat(bobs.getJsonObject("unsigned").containsKey("transaction_id")).isFalse();
    }

    @Test
    void aLimitedTimelineHasAPrevBatchThatMessagesPaginatesFrom() throws Exception {
        String room = f.room(alice, bob);
        for (int i = 0; i < 15; i++) f.send(alice, room, "m" + i, "t" + i);
        String filter = enc("{\"room\":{\"timeline\":{\"limit\":5}}}");
        JsonObject joined = f.sync(bob, null, "filter=" + filter).getJsonObject("rooms").getJsonObject("join")
                .getJsonObject(room);
        JsonObject timeline = joined.getJsonObject("timeline");
        assertThat(timeline.getBoolean("limited")).isTrue();
        assertThat(bodies(timeline.getJsonArray("events"))).containsExactly("m10", "m11", "m12", "m13", "m14");
        assertThat(joined.getJsonObject("state").getJsonArray("events").stream()
                .map(e -> ((JsonObject) e).getString("type"))).contains("m.room.create", "m.room.power_levels");

        JsonObject page = f.ok("GET", "v3/rooms/" + enc(room) + "/messages?dir=b&limit=4&from="
                + timeline.getString("prev_batch"), bob, null);
        assertThat(bodies(page.getJsonArray("chunk"))).containsExactly("m9", "m8", "m7", "m6");
        JsonObject rest = f.ok("GET", "v3/rooms/" + enc(room) + "/messages?dir=b&limit=100&from="
                + page.getString("end"), bob, null);
        assertThat(rest.containsKey("end")).as("the start of the room").isFalse();
        assertThat(rest.getJsonArray("chunk").getJsonObject(rest.getJsonArray("chunk").size() - 1).getString("type"))
                .isEqualTo("m.room.create");
    }

    @Test
    void invitesAndLeavesComeInTheirSections() throws Exception {
        String room = f.ok("POST", "v3/createRoom", alice, new JsonObject().put("name", "Hello")
                .put("invite", new JsonArray().add(bob.userId()))).getString("room_id");
        JsonObject invited = f.sync(bob, null, "").getJsonObject("rooms").getJsonObject("invite").getJsonObject(room);
        assertThat(invited.getJsonObject("invite_state").getJsonArray("events").stream()
                .map(e -> ((JsonObject) e).getString("type"))).contains("m.room.create", "m.room.name", "m.room.member");
        f.ok("POST", "v3/join/" + enc(room), bob, new JsonObject());
        String since = f.sync(bob, null, "").getString("next_batch");
        f.ok("POST", "v3/rooms/" + enc(room) + "/kick", alice, new JsonObject().put("user_id", bob.userId())
                .put("reason", "bye"));
        f.send(alice, room, "after the kick", "k1");
        JsonObject rooms = f.sync(bob, since, "").getJsonObject("rooms");
        assertThat(rooms.getJsonObject("join").containsKey(room)).isFalse();
        JsonArray left = rooms.getJsonObject("leave").getJsonObject(room).getJsonObject("timeline").getJsonArray("events");
        assertThat(left.getJsonObject(left.size() - 1).getJsonObject("content").getMap())
                .containsEntry("membership", "leave").containsEntry("reason", "bye");
        assertThat(bodies(left)).as("nothing after the kick").doesNotContain("after the kick");
    }

    /**
     * Device lists: a user sharing a room who uploads keys is "changed" once, for tokens before the change only; a
     * user who joins a shared room is "changed"; one who leaves the last shared room is "left"; a user sharing no
     * room is never mentioned.
     */
    @Test
    void deviceListChangesFollowSharedRoomsInStreamOrder() throws Exception {
        HomeserverDouble.Session carol = f.user("carol");
        String room = f.room(alice, bob);
        String t0 = f.sync(bob, null, "").getString("next_batch");
        JsonObject keys = new JsonObject().put("device_keys", new JsonObject().put("user_id", alice.userId())
                .put("device_id", "ALICE").put("algorithms", new JsonArray().add("m.olm.v1.curve25519-aes-sha2"))
                .put("keys", new JsonObject().put("curve25519:ALICE", "k")));
        f.ok("POST", "v3/keys/upload", alice, keys);
        f.ok("POST", "v3/keys/upload", carol, new JsonObject().put("device_keys", keys.getJsonObject("device_keys")
                .copy().put("user_id", carol.userId()).put("device_id", "CAROL")));
        JsonObject s1 = f.sync(bob, t0, "");
        assertThat(lists(s1, "changed")).containsExactly(alice.userId());
        assertThat(lists(f.sync(bob, s1.getString("next_batch"), ""), "changed")).isEmpty();
        JsonObject query = f.ok("POST", "v3/keys/query", bob, new JsonObject().put("device_keys",
                new JsonObject().put(alice.userId(), new JsonArray())));
        assertThat(query.getJsonObject("device_keys").getJsonObject(alice.userId()).fieldNames()).containsExactly("ALICE");

        f.ok("POST", "v3/rooms/" + enc(room) + "/invite", alice, new JsonObject().put("user_id", carol.userId()));
        f.ok("POST", "v3/join/" + enc(room), carol, new JsonObject());
        JsonObject s2 = f.sync(bob, s1.getString("next_batch"), "");
        assertThat(lists(s2, "changed")).containsExactly(carol.userId());
        f.ok("POST", "v3/rooms/" + enc(room) + "/leave", alice, new JsonObject());
        JsonObject s3 = f.sync(bob, s2.getString("next_batch"), "");
        assertThat(lists(s3, "left")).containsExactly(alice.userId());
        assertThat(lists(s3, "changed")).isEmpty();
    }

    @Test
    void receiptsAndTypingAreEphemeralAndReceiptsClearTheUnreadCount() throws Exception {
        String room = f.room(alice, bob);
        f.send(alice, room, "one", "u1");
        String last = f.send(alice, room, "two", "u2");
        JsonObject before = f.sync(bob, null, "").getJsonObject("rooms").getJsonObject("join").getJsonObject(room);
        assertThat(before.getJsonObject("unread_notifications").getInteger("notification_count")).isEqualTo(2);
        String since = f.sync(bob, null, "").getString("next_batch");

        f.ok("POST", "v3/rooms/" + enc(room) + "/receipt/m.read/" + enc(last), bob, new JsonObject());
        f.ok("PUT", "v3/rooms/" + enc(room) + "/typing/" + enc(alice.userId()), alice,
                new JsonObject().put("typing", true).put("timeout", 30000));
        assertThat(f.call("PUT", "v3/rooms/" + enc(room) + "/typing/" + enc(alice.userId()), bob,
                new JsonObject().put("typing", true)).status()).as("only for oneself").isEqualTo(403);
        assertThat(f.call("POST", "v3/rooms/" + enc(room) + "/receipt/m.seen/" + enc(last), bob, new JsonObject())
                .errcode()).isEqualTo("M_INVALID_PARAM");

        JsonObject after = f.sync(bob, since, "").getJsonObject("rooms").getJsonObject("join").getJsonObject(room);
        assertThat(after.getJsonObject("unread_notifications").getInteger("notification_count")).isZero();
        JsonArray ephemeral = after.getJsonObject("ephemeral").getJsonArray("events");
        assertThat(ephemeral.stream().map(e -> ((JsonObject) e).getString("type"))).containsExactly("m.receipt", "m.typing");
        assertThat(ephemeral.getJsonObject(0).getJsonObject("content").getJsonObject(last).getJsonObject("m.read")
                .fieldNames()).containsExactly(bob.userId());
        assertThat(ephemeral.getJsonObject(1).getJsonObject("content").getJsonArray("user_ids")).containsExactly(alice.userId());
    }

    private static List<String> lists(JsonObject sync, String which) {
        return sync.getJsonObject("device_lists").getJsonArray(which).stream().map(String.class::cast).toList();
    }

    private static JsonArray timeline(JsonObject join, String room) {
        return join.getJsonObject(room).getJsonObject("timeline").getJsonArray("events");
    }

    private static List<String> ids(JsonObject join, String room) {
        return timeline(join, room).stream().map(e -> ((JsonObject) e).getString("event_id")).toList();
    }

    private static List<String> bodies(JsonArray events) {
        return events.stream().map(e -> ((JsonObject) e).getJsonObject("content").getString("body"))
                .filter(b -> b != null).toList();
    }
}
