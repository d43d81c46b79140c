package org.conclave.tests.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.LockSupport;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import org.conclave.tests.homeserver.RoomOptions;
import org.conclave.tests.homeserver.ScriptedClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issue 13, "a clear message in words for every way joining can fail": the failures not shown by
 * {@link WebHostControlsTest} and {@link WebConferenceTest}, each reached by clicks in Conclave Web and checked by the
 * words on the page (title and advice). One rig: conferences of at most 3 (so a 4th is refused by the server), a
 * waiting room that closes after {@link #WAITING_TIMEOUT}, and the homeserver double's to-device interference (drops
 * the bot's answers, rewrites its candidates to an unroutable address, drops one sender's Olm messages to one device).
 * Erin's page shortens its "no answer" and "no connection" timers through its address (answer_timeout_ms,
 * connect_timeout_ms), so that those waits are 8 s, not 20.
 */
class WebFailuresTest {
    private static final Logger log = LoggerFactory.getLogger(WebFailuresTest.class);
    private static final Duration WAITING_TIMEOUT = Duration.ofSeconds(8);
    private static final int MAX_PER_CONFERENCE = 3;
    private static final Duration EFFECT_TIMEOUT = Duration.ofSeconds(45);
    private static final String SHORT_TIMERS = "&answer_timeout_ms=8000&connect_timeout_ms=8000";
    /** RFC 5737 TEST-NET-1: routed nowhere, so the page's connectivity checks get no answer (a firewall's drop). */
    private static final String UNROUTABLE = "192.0.2.1";
    private static final Pattern CANDIDATE_ADDRESS = Pattern.compile("(candidate:\\S+ \\d+ \\S+ \\d+ )(\\S+)( \\d+ typ)");

    @TempDir
    Path dir;

    private static String user(String page) {
        return "@" + page + ":" + WebRig.SERVER_NAME;
    }

    @Test
    void everyWayJoiningCanFailIsToldInWordsOnThePage() throws Exception {
        long started = System.nanoTime();
        Map<String, String> env = Map.of("CONCLAVE_SFU_MAX_ENDPOINTS_PER_CONFERENCE", "" + MAX_PER_CONFERENCE,
                "CONCLAVE_SFU_ROOM_WAITING_TIMEOUT_MS", "" + WAITING_TIMEOUT.toMillis());
        try (WebRig rig = WebRig.start(dir, null, env)) {
            ScriptedClient alice = rig.user("alice");
            ScriptedClient erin = rig.user("erin");
            String team = rig.encryptedRoom("Team sync", alice, rig.user("bob"), rig.user("dave"), erin,
                    rig.user("frank"));
            String corner = rig.encryptedRoom("Erin's corner", erin);
            String planning = alice.createRoom(RoomOptions.privateRoom("Planning").encrypted(true)
                    .withPowerLevels(Map.of(rig.hs.botUserId(), 50)).inviting(rig.hs.botUserId()));
            alice.invite(planning, erin.userId());
            all(() -> rig.signIn("alice", "alice"), () -> rig.signIn("bob", "bob"),
                    () -> rig.signIn("erin", "erin", "chromium", SHORT_TIMERS));

            // Not a member: Erin is invited to Planning but has not joined it.
            rig.pages.click("erin", "[data-room-id='" + planning + "']");
            rig.pages.click("erin", "#join-call");
            assertFailure(rig, "erin", "[data-screen=rooms]", "not_member", "You are not a member of Planning.",
                    "accept the invitation");
            shot(rig, "erin", "failure-not-member.png");

            // The conference server does not answer: the homeserver loses every call event from the bot to Erin.
            rig.hs.interfereWithToDevice(m -> fromBotTo(rig, m, user("erin")) ? null : m);
            attempt(rig, "erin", corner);
            assertFailure(rig, "erin", "[data-screen=rooms]", "sfu_unreachable", "The conference server did not answer.",
                    "Try again in a minute");
            assertThat(rig.hs.toDeviceInterfered()).as("bot's call events to Erin dropped").isPositive();
            shot(rig, "erin", "failure-no-answer.png");

            // The network blocks the media path: the bot answers, but every candidate of the SFU is unroutable.
            rig.hs.interfereWithToDevice(m -> fromBotTo(rig, m, user("erin")) ? unroutable(m) : m);
            int before = rig.hs.toDeviceInterfered();
            attempt(rig, "erin", corner);
            assertFailure(rig, "erin", "[data-screen=rooms]", "network_blocked",
                    "Your network blocks the connection to the conference server.", "TURN relay");
            assertThat(rig.hs.toDeviceInterfered()).as("SFU candidates rewritten").isGreaterThan(before);
            shot(rig, "erin", "failure-network-blocked.png");

            // Keys missing for a participant: the homeserver loses Bob's Olm messages to Alice's device (his media
            // keys among them); Alice's keys reach Bob.
            rig.join("alice", team);
            String aliceDevice = rig.report("alice").json().getString("deviceId");
            UnaryOperator<JsonObject> bobToAliceLost = m -> "m.room.encrypted".equals(m.getString("type"))
                    && user("bob").equals(m.getString("sender")) && user("alice").equals(m.getString("to_user_id"))
                    && aliceDevice.equals(m.getString("to_device_id")) ? null : m;
            rig.hs.interfereWithToDevice(bobToAliceLost);
            rig.join("bob", team);
            awaitTrue(() -> decodes(rig, "bob", "alice"), "bob decodes alice (her keys reach him)");
            String banner = awaitText(rig, "alice", "[data-failure=keys_missing]", "Bob Okafor");
            assertThat(banner).startsWith("No media key from").contains("cannot see or hear them");
            awaitText(rig, "alice", ".tile[data-user='" + user("bob") + "'] .tile-warning", "No media key yet");
            assertThat(decodes(rig, "alice", "bob")).as("alice cannot decode bob without his key").isFalse();

            // Someone else's media refused: Frank's client (matrix-js-sdk's MatrixCall, no SFrame) sends plaintext
            // into the encrypted conference; the SFU holds it and Alice's page says so.
            joinWithoutEncryption(rig, "frank", team);
            awaitTrue(() -> {
                JsonObject e = rig.report("alice").rosterEntry(user("frank"));
                return e != null && e.getBoolean("media_refused", false);
            }, "the SFU marks frank media_refused");
            String frankEntry = "#people-panel li[data-user^='" + user("frank") + "/']";
            awaitText(rig, "alice", frankEntry + " .badge.refused", "not encrypted");
            awaitText(rig, "alice", ".tile[data-user='" + user("frank") + "'] .tile-warning",
                    "Not encrypted: held by the server");
            awaitTrue(() -> !text(rig, "alice", "[data-failure=keys_missing]").contains(user("frank")),
                    "the missing-keys banner leaves out frank, whom the SFU holds as not encrypted");
            assertThat(text(rig, "alice", "[data-failure=keys_missing]")).contains("Bob Okafor");
            shot(rig, "alice", "failure-keys-missing-and-not-encrypted.png");

            // Refused by the server: Team sync has its maximum of 3 (Alice, Bob, Frank); Erin's call is refused
            // with the server's words.
            attempt(rig, "erin", team);
            assertFailure(rig, "erin", "[data-screen=rooms]", "refused_by_server",
                    "The conference server refused the call.", "maximum of " + MAX_PER_CONFERENCE);
            shot(rig, "erin", "failure-refused-by-server.png");

            // The keys flow again: Frank leaves, Bob rotates, his new key reaches Alice and the warning goes.
            rig.hs.interfereWithToDevice(UnaryOperator.identity());
            rig.pages.eval("frank", "async () => harness.calls.hangup()", null, WebRig.TIMEOUT);
            rig.pages.waitFor("alice", "[data-failure=keys_missing]", "hidden", EFFECT_TIMEOUT);
            awaitTrue(() -> decodes(rig, "alice", "bob"), "alice decodes bob once his key arrived");

            // No camera or microphone: Dave's computer has none; he is told so, joins, and sees and hears the others.
            rig.signIn("dave", "dave", "chromium-nodevices");
            rig.openPrejoin("dave", team);
            assertFailure(rig, "dave", "[data-screen=prejoin]", "no_devices", "No camera or microphone was found.",
                    "You can still join to see and hear the others.");
            assertThat(rig.pages.count("dave", "[data-screen=prejoin] button.toggle:disabled")).as("no toggles to use")
                    .isEqualTo(2);
            shot(rig, "dave", "failure-no-devices.png");
            rig.pages.click("dave", "#join");
            rig.pages.waitFor("dave", "[data-screen=call]", "visible", WebRig.TIMEOUT);
            awaitTrue(() -> decodes(rig, "dave", "alice") && decodes(rig, "dave", "bob"),
                    "dave decodes and hears alice and bob");
            assertThat(rig.report("dave").outboundSsrcs("video")).as("dave sends no camera").isEmpty();

            // The waiting room closes: Alice locks, nobody admits Dave when he comes back.
            rig.pages.click("dave", "#leave");
            rig.pages.waitFor("dave", "[data-screen=rooms]", "visible", WebRig.TIMEOUT);
            rig.pages.click("alice", "#lock-toggle");
            rig.pages.waitFor("alice", "#lock-toggle[aria-pressed=true]", "visible", WebRig.TIMEOUT);
            rig.pages.click("dave", "#join-call");
            rig.pages.waitFor("dave", "#join:enabled", "visible", WebRig.TIMEOUT);
            rig.pages.click("dave", "#join");
            rig.pages.waitFor("dave", ".waiting-box[data-failure=locked]", "visible", WebRig.TIMEOUT);
            assertFailure(rig, "dave", "[data-screen=rooms]", "waiting_timed_out", "Nobody let you in.",
                    "The waiting room closed: nobody let you in within " + WAITING_TIMEOUT.toSeconds() + " seconds.");
            shot(rig, "dave", "failure-waiting-timed-out.png");
        }
        log.info("WebFailuresTest took {} s", (System.nanoTime() - started) / 1_000_000_000L);
    }

    /** An m.call.* to-device message from Conclave's bot to {@code to}. */
    private static boolean fromBotTo(WebRig rig, JsonObject m, String to) {
        return rig.hs.botUserId().equals(m.getString("sender")) && to.equals(m.getString("to_user_id"))
                && m.getString("type").startsWith("m.call.");
    }

    /** The message with every ICE candidate's address (answer and offer SDP, trickled candidates) unroutable. */
    private static JsonObject unroutable(JsonObject m) {
        JsonObject c = m.getJsonObject("content");
        for (String field : List.of("answer", "description", "offer")) {
            JsonObject sdp = c.getJsonObject(field);
            if (sdp != null && sdp.getString("sdp") != null) sdp.put("sdp", rewrite(sdp.getString("sdp")));
        }
        JsonArray candidates = c.getJsonArray("candidates");
        if (candidates != null) {
            for (Object o : candidates) {
                JsonObject cand = (JsonObject) o;
                if (cand.getString("candidate") != null) cand.put("candidate", rewrite(cand.getString("candidate")));
            }
        }
        return m;
    }

    private static String rewrite(String text) {
        return CANDIDATE_ADDRESS.matcher(text).replaceAll("$1" + UNROUTABLE + "$3");
    }

    /**
     * A participant whose client does not encrypt media: matrix-js-sdk's own MatrixCall in the test page (no SFrame
     * worker), with the conference's control channel, over to-device to the running conference's focus.
     */
    private static void joinWithoutEncryption(WebRig rig, String page, String room) throws Exception {
        rig.pages.open(page);
        rig.pages.eval(page, "async (a) => harness.login(a.hs, a.user, a.password, a.options)", new JsonObject()
                .put("hs", rig.hs.url()).put("user", page).put("password", WebRig.PASSWORD)
                .put("options", new JsonObject().put("crypto", false)
                        .put("clientOpts", new JsonObject().put("useE2eForGroupCall", false))), WebRig.TIMEOUT);
        JsonObject running = (JsonObject) rig.pages.eval(page, "async (a) => harness.calls.conference(a.room)",
                new JsonObject().put("room", room), WebRig.TIMEOUT);
        JsonObject focus = running.getJsonObject("focus");
        rig.pages.eval(page, "async (a) => harness.calls.place(a)", new JsonObject().put("roomId", room)
                .put("bot", focus.getString("user_id")).put("groupCallId", running.getString("groupCallId"))
                .put("toDevice", new JsonObject().put("deviceId", focus.getString("device_id"))
                        .put("sessionId", focus.getString("session_id")))
                .put("media", new JsonObject().put("width", 320).put("height", 180).put("frameRate", 15))
                .put("dataChannel", "conclave"), WebRig.TIMEOUT);
    }

    /** Waits for the failure box of {@code code} on {@code screen}; asserts its title and that its advice says so. */
    private static void assertFailure(WebRig rig, String page, String screen, String code, String title,
            String advice) throws Exception {
        String selector = screen + " [data-failure=" + code + "]";
        rig.pages.waitFor(page, selector, "visible", EFFECT_TIMEOUT);
        JsonObject box = (JsonObject) rig.pages.eval(page, """
                (sel) => { const b = document.querySelector(sel);
                  return { title: b.querySelector('strong')?.innerText ?? '', advice: b.querySelector('p')?.innerText ?? '' }; }""",
                selector, WebRig.TIMEOUT);
        log.info("{} sees {}: {} / {}", page, code, box.getString("title"), box.getString("advice"));
        assertThat(box.getString("title")).isEqualTo(title);
        assertThat(box.getString("advice")).contains(advice);
    }

    /** The element's visible text now, "" when there is none. */
    private static String text(WebRig rig, String page, String selector) throws Exception {
        Object text = rig.pages.eval(page, "(sel) => document.querySelector(sel)?.innerText ?? ''", selector,
                WebRig.TIMEOUT);
        return (String) text;
    }

    /** Polls the element's visible text until it contains {@code words}; returns it. */
    private static String awaitText(WebRig rig, String page, String selector, String words) throws Exception {
        long deadline = System.nanoTime() + EFFECT_TIMEOUT.toNanos();
        for (;;) {
            String text = (String) rig.pages.eval(page, "(sel) => document.querySelector(sel)?.innerText ?? null",
                    selector, WebRig.TIMEOUT);
            if (text != null && text.contains(words)) return text;
            if (System.nanoTime() > deadline) {
                throw new AssertionError(page + ": " + selector + " does not say \"" + words + "\" within "
                        + EFFECT_TIMEOUT + " (it says " + text + ")");
            }
            LockSupport.parkNanos(300_000_000L);
        }
    }

    /** Opens the room's pre-join screen and clicks Join, for a join that is to fail (no wait for the call page). */
    private static void attempt(WebRig rig, String page, String roomId) throws Exception {
        rig.openPrejoin(page, roomId);
        rig.pages.click(page, "#join");
    }

    /** Whether {@code at} decodes video from and hears audio of {@code from}. */
    private static boolean decodes(WebRig rig, String at, String from) throws Exception {
        long[] v = rig.report(at).decodedFrom().get(user(from));
        return v != null && v[0] >= WebRig.MIN_FRAMES && v[1] > 0;
    }

    private static void shot(WebRig rig, String page, String name) throws Exception {
        rig.pages.screenshot(page, WebConferenceTest.SHOTS.resolve(name));
    }

    private interface Step {
        void run() throws Exception;
    }

    /** Runs the steps side by side (pages are independent), rethrowing the first failure. */
    private static void all(Step... steps) throws Exception {
        List<CompletableFuture<Void>> running = java.util.Arrays.stream(steps).map(s -> CompletableFuture.runAsync(() -> {
            try {
                s.run();
            } catch (Exception e) {
                throw new java.util.concurrent.CompletionException(e);
            }
        })).toList();
        for (CompletableFuture<Void> f : running) {
            try {
                f.join();
            } catch (java.util.concurrent.CompletionException e) {
                throw e.getCause() instanceof Exception cause ? cause : e;
            }
        }
    }

    private static void awaitTrue(Eventually.Check check, String what) throws Exception {
        Eventually.awaitTrue(EFFECT_TIMEOUT, check, what);
    }
}
