package org.conclave.tests.homeserver;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * matrix-js-sdk itself (npm, unmodified, Rust crypto) in two headless Chromium pages is a real client of the double:
 * password login, an encrypted DM created as Element creates it, invite, join, a megolm-encrypted message decrypted
 * by the other page, an Olm-encrypted to-device message decrypted by the other page — and the double saw neither
 * plaintext: both crossed it only as {@code m.room.encrypted}.
 */
class MatrixJsSdkE2eeTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final String PASSWORD = "correct horse battery staple";

    @TempDir
    Path dir;

    private final Vertx vertx = Vertx.vertx();
    private HomeserverDouble hs;
    private MatrixPages pages;

    @BeforeEach
    void start() throws Exception {
        var registration = Fixtures.registration(Fixtures.config(dir, 0, "http://127.0.0.1:1"), "http://127.0.0.1:1");
        hs = HomeserverDouble.start(vertx, registration, Fixtures.SERVER_NAME, AppservicePusher.Options.defaults());
        pages = MatrixPages.start(vertx);
    }

    @AfterEach
    void stop() throws Exception {
        if (pages != null) pages.close();
        hs.close();
        vertx.close().await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Test
    void encryptedRoomMessageAndOlmToDeviceCrossTheDoubleOnlyEncrypted() throws Exception {
        String alice = hs.createUser("alice", PASSWORD);
        String bob = hs.createUser("bob", PASSWORD);
        String roomSecret = "room plaintext " + Http.random(12);
        String toDeviceSecret = "to-device plaintext " + Http.random(12);
        pages.open("alice");
        pages.open("bob");
        CompletableFuture<Object> aliceLogin = pages.evalAsync("alice", LOGIN, login("alice"));
        JsonObject bobDevice = (JsonObject) pages.eval("bob", LOGIN, login("bob"), TIMEOUT);
        aliceLogin.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);

        String roomId = (String) pages.eval("alice", CREATE_ENCRYPTED_DM, bob, TIMEOUT);
        pages.eval("bob", JOIN_WHEN_INVITED, roomId, TIMEOUT);
        pages.eval("alice", SEND_WHEN_JOINED, new JsonObject().put("room", roomId).put("bob", bob)
                .put("text", roomSecret), TIMEOUT);
        JsonObject seen = (JsonObject) pages.eval("bob", AWAIT_DECRYPTED, new JsonObject().put("room", roomId)
                .put("text", roomSecret), TIMEOUT);
        assertThat(seen.getMap()).containsEntry("type", "m.room.encrypted").containsEntry("clearType", "m.room.message")
                .containsEntry("sender", alice).containsEntry("encrypted", true).containsEntry("failed", false);

        pages.eval("alice", SEND_OLM_TO_DEVICE, new JsonObject().put("bob", bob)
                .put("device", bobDevice.getString("deviceId")).put("secret", toDeviceSecret), TIMEOUT);
        JsonObject received = (JsonObject) pages.eval("bob", AWAIT_TO_DEVICE, null, TIMEOUT);
        assertThat(received.getString("sender")).isEqualTo(alice);
        assertThat(received.getBoolean("encrypted")).isTrue();
        assertThat(received.getJsonObject("content").getString("secret")).isEqualTo(toDeviceSecret);

        List<HomeserverDouble.Request> seenByDouble = hs.requests();
        // The log holds the bodies (so the plaintext check below can fail): the ciphertext is there.
        assertThat(hs.requests("PUT", "/send/m.room.encrypted/")).as("the message, encrypted").isNotEmpty()
                .allMatch(r -> r.body().contains("\"ciphertext\"") && r.body().contains("m.megolm.v1.aes-sha2"));
        assertThat(hs.requests("PUT", "/sendToDevice/m.room.encrypted/")).as("the to-device, encrypted")
                .isNotEmpty().allMatch(r -> r.body().contains("\"ciphertext\"")
                        && r.body().contains("m.olm.v1.curve25519-aes-sha2"));
        assertThat(seenByDouble).as("no clear room message or to-device type")
                .noneMatch(r -> r.path().contains("/send/m.room.message/")
                        || r.path().contains("/sendToDevice/org.conclave.test/"));
        assertThat(seenByDouble).as("no plaintext in any request body")
                .noneMatch(r -> r.body().contains(roomSecret) || r.body().contains(toDeviceSecret));
        assertThat(hs.timeline(roomId)).as("the room holds only the ciphertext")
                .noneMatch(e -> e.getString("type").equals("m.room.message"))
                .anyMatch(e -> e.getString("type").equals("m.room.encrypted") && e.getString("sender").equals(alice))
                .noneMatch(e -> e.encode().contains(roomSecret));
        assertThat(hs.requests("POST", "/keys/claim")).as("alice claimed bob's one-time key for Olm").isNotEmpty();
        assertThat(pages.eval("alice", CAN_CALL, roomId, TIMEOUT)).as("the page can place MatrixCalls (issue 11)")
                .isEqualTo(true);
    }

    private JsonObject login(String user) {
        return new JsonObject().put("hs", hs.url()).put("user", user).put("password", PASSWORD);
    }

    private static final String LOGIN = """
            async (a) => harness.login(a.hs, a.user, a.password)""";

    /** As Element creates an encrypted DM: trusted_private_chat, is_direct, m.room.encryption in initial_state. */
    private static final String CREATE_ENCRYPTED_DM = """
            async (bob) => {
              const c = harness.client;
              const { room_id } = await c.createRoom({
                preset: 'trusted_private_chat', is_direct: true, invite: [bob], visibility: 'private',
                initial_state: [{ type: 'm.room.encryption', state_key: '',
                                  content: { algorithm: 'm.megolm.v1.aes-sha2' } }],
              });
              await c.setAccountData('m.direct', { [bob]: [room_id] });
              await harness.waitFor(() => c.getRoom(room_id)?.hasEncryptionStateEvent(), 'the room to be encrypted');
              return room_id;
            }""";

    private static final String JOIN_WHEN_INVITED = """
            async (roomId) => {
              const c = harness.client;
              await harness.waitFor(() => c.getRoom(roomId)?.getMyMembership() === 'invite', 'the invite');
              await c.joinRoom(roomId);
              await harness.waitFor(() => c.getRoom(roomId)?.getMyMembership() === 'join', 'the join');
            }""";

    private static final String SEND_WHEN_JOINED = """
            async (a) => {
              const c = harness.client;
              await harness.waitFor(() => c.getRoom(a.room)?.getMember(a.bob)?.membership === 'join', "bob's join");
              await c.sendTextMessage(a.room, a.text);
            }""";

    private static final String AWAIT_DECRYPTED = """
            async (a) => harness.waitFor(async () => (await harness.timeline(a.room))
                .find((e) => e.clearType === 'm.room.message' && e.body === a.text), 'the decrypted message')""";

    private static final String SEND_OLM_TO_DEVICE = """
            async (a) => {
              const c = harness.client;
              await c.getCrypto().getUserDeviceInfo([a.bob], true);
              const batch = await c.getCrypto().encryptToDeviceMessages('org.conclave.test',
                  [{ userId: a.bob, deviceId: a.device }], { secret: a.secret });
              if (batch.batch.length !== 1) throw new Error('not encrypted for bob: ' + JSON.stringify(batch));
              await c.queueToDevice(batch);
            }""";

    private static final String CAN_CALL = """
            async (roomId) => harness.client.supportsVoip() && sdk.createNewMatrixCall(harness.client, roomId) !== null""";

    private static final String AWAIT_TO_DEVICE = """
            async () => harness.waitFor(() => harness.toDevice.find((m) => m.type === 'org.conclave.test'),
                'the to-device message')""";
}
