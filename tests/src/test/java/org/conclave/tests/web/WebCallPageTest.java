package org.conclave.tests.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.conclave.tests.homeserver.ScriptedClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issue 13's call page in a real browser, driven like a person: a guest held in the waiting room sees no check code
 * until a host lets her in; a person with only a keyboard signs in, picks the room, goes through the pre-join screen,
 * joins, mutes and unmutes, turns the camera off and on, raises and lowers a hand (which the host and the other guest
 * see), and leaves; the active speaker's tile is highlighted on the others' pages and the highlight follows the
 * voice; a shared screen is the large tile everywhere else and is decoded there; every remote tile shows its
 * connection quality.
 */
class WebCallPageTest {
    private static final Logger log = LoggerFactory.getLogger(WebCallPageTest.class);
    private static final Duration EFFECT_TIMEOUT = Duration.ofSeconds(30);
    private static final List<String> PEOPLE = List.of("alice", "bob", "carol");
    private static final String NO_CODE = "— — —";
    /** Microphones that sound steadily (the default fake one beeps too briefly to become the dominant speaker). */
    private static final String VOICE = "chromium-voice";
    /** The large (stage) screen-share tile of a user: its video's decoded size and frames, and every tile's width. */
    private static final String STAGE = """
            (user) => {
              const stage = document.querySelector(`.tile.screen.stage[data-user="${user}"]`);
              if (!stage) return { found: false };
              const video = stage.querySelector('video');
              const others = [...document.querySelectorAll('.tile:not(.stage)')]
                .map((t) => t.getBoundingClientRect().width);
              return { found: true, width: stage.getBoundingClientRect().width,
                widestOther: Math.max(0, ...others), videoWidth: video.videoWidth, videoHeight: video.videoHeight,
                frames: video.getVideoPlaybackQuality().totalVideoFrames };
            }""";
    /** Every remote tile's connection-quality indicator: {user, level (its class), label}. */
    private static final String QUALITY = """
            () => [...document.querySelectorAll('.tile:not([data-key^=local])')].map((t) => {
              const q = t.querySelector('.quality');
              return { user: t.dataset.user, screen: t.classList.contains('screen'),
                level: [...q.classList].find((c) => c !== 'quality') ?? null, label: q.getAttribute('aria-label') };
            })""";

    /**
     * The even grid as laid out: its columns and rows (the page's --cols/--rows), how many distinct tile columns and rows
     * the tiles occupy, and their distinct sizes.
     */
    private static final String GRID = """
            () => {
              const grid = document.querySelector('.grid');
              const rects = [...grid.querySelectorAll('.tile')].map((t) => t.getBoundingClientRect());
              const distinct = (xs) => new Set(xs.map((x) => Math.round(x))).size;
              return { stage: grid.classList.contains('has-stage'), tiles: rects.length,
                cols: Number(grid.style.getPropertyValue('--cols')), rows: Number(grid.style.getPropertyValue('--rows')),
                usedCols: distinct(rects.map((r) => r.left)), usedRows: distinct(rects.map((r) => r.top)),
                sizes: new Set(rects.map((r) => Math.round(r.width) + 'x' + Math.round(r.height))).size,
                width: Math.round(rects[0]?.width ?? 0), height: Math.round(rects[0]?.height ?? 0) };
            }""";

    @TempDir
    Path dir;

    private static String user(String page) {
        return "@" + page + ":" + WebRig.SERVER_NAME;
    }

    private static String tile(String page) {
        return ".tile:not(.screen)[data-user='" + user(page) + "']";
    }

    @Test
    void aKeyboardPersonRunsTheCallAndTheCallPageShowsHandsSpeakerScreenShareAndQuality() throws Exception {
        long started = System.nanoTime();
        try (WebRig rig = WebRig.start(dir)) {
            ScriptedClient alice = rig.user("alice");
            String room = rig.encryptedRoom("Weekly sync", alice, rig.user("bob"), rig.user("carol"));
            rig.signIn("alice", "alice", VOICE);
            rig.join("alice", room);

            waitingGuestSeesNoCheckCodeUntilAdmitted(rig, room);
            Keyboard bob = joinWithTheKeyboard(rig, room);
            muteCameraAndHandWithTheKeyboard(rig, bob);
            theActiveSpeakerIsHighlighted(rig, bob);
            qualityOnEveryTileAndTheGridAdapts(rig);
            aSharedScreenIsShownLarge(rig);

            // Bob leaves with the keyboard.
            bob.tabTo("#leave");
            bob.enter();
            rig.pages.waitFor("bob", "[data-screen=rooms]", "visible", WebRig.TIMEOUT);
            rig.pages.waitFor("alice", tile("bob"), "detached", EFFECT_TIMEOUT);
        }
        log.info("WebCallPageTest took {} s", (System.nanoTime() - started) / 1_000_000_000L);
    }

    private static void waitingGuestSeesNoCheckCodeUntilAdmitted(WebRig rig, String room) throws Exception {
        // A guest in the waiting room sees no check code: it would cover her own key only, and nobody in the
        // call can compare it with her yet. Once admitted, she shows the host's.
        rig.pages.waitFor("alice", "#lock-toggle", "visible", WebRig.TIMEOUT);
        rig.pages.click("alice", "#lock-toggle");
        rig.pages.waitFor("alice", "#lock-toggle[aria-pressed=true]", "visible", WebRig.TIMEOUT);
        rig.signIn("carol", "carol", VOICE);
        rig.join("carol", room);
        rig.pages.waitFor("carol", ".waiting-box[data-failure=locked]", "visible", WebRig.TIMEOUT);
        awaitTrue(() -> rig.report("carol").checkCode() != null, "carol's page computed a check code");
        assertThat(text(rig, "carol", "#check-code")).as("check code shown while waiting").isEqualTo(NO_CODE);
        // The host lets her in with the keyboard, from the lock button she just clicked.
        rig.pages.waitFor("alice", ".host-panel ul.waiting li button.admit", "visible", WebRig.TIMEOUT);
        Keyboard host = new Keyboard(rig.pages, "alice");
        host.tabTo(".host-panel ul.waiting li button.admit");
        host.enter();
        awaitTrue(() -> !NO_CODE.equals(text(rig, "carol", "#check-code"))
                && text(rig, "carol", "#check-code").equals(text(rig, "alice", "#check-code")),
                "carol admitted shows alice's check code");
        rig.pages.click("alice", "#lock-toggle");
        rig.pages.waitFor("alice", "#lock-toggle[aria-pressed=false]", "visible", WebRig.TIMEOUT);
        log.info("waiting: no check code; admitted: {}", text(rig, "carol", "#check-code"));
    }

    private static Keyboard joinWithTheKeyboard(WebRig rig, String room) throws Exception {
        // Bob uses only the keyboard, from the sign-in form to the call.
        Keyboard bob = new Keyboard(rig.pages, "bob");
        rig.pages.openUrl("bob", rig.appUrl(), "#login", VOICE);
        assertThat(bob.focusedOn("input[name=user]")).as("the sign-in form starts at the user name").isTrue();
        bob.type("bob");
        bob.tabTo("input[name=password]");
        bob.type(WebRig.PASSWORD);
        bob.enter();
        rig.pages.waitFor("bob", "[data-screen=rooms]", "visible", WebRig.TIMEOUT);
        bob.tabTo("[data-room-id='" + room + "']");
        bob.enter();
        bob.tabTo("#join-call");
        bob.enter();
        rig.pages.waitFor("bob", "#join:enabled", "visible", WebRig.TIMEOUT);
        assertThat(bob.focusedOn("#join")).as("the pre-join screen's focus is on Join once it can be used").isTrue();
        bob.tabTo("#display-name", true);
        bob.selectAll();
        bob.type(WebRig.NAMES.get("bob"));
        bob.tabTo("#join");
        bob.enter();
        rig.pages.waitFor("bob", "[data-screen=call]", "visible", WebRig.TIMEOUT);
        rig.awaitAllDecoding(PEOPLE);
        rig.pages.waitFor("bob", "#mic:enabled", "visible", WebRig.TIMEOUT);
        return bob;
    }

    private static void muteCameraAndHandWithTheKeyboard(WebRig rig, Keyboard bob) throws Exception {
        // Mute and unmute with Space, camera off and on with Enter: the others see it on bob's tile.
        bob.tabTo("#mic");
        bob.space();
        rig.pages.waitFor("bob", "#mic[aria-pressed=true]", "visible", WebRig.TIMEOUT);
        rig.pages.waitFor("alice", tile("bob") + " .badge.muted", "visible", WebRig.TIMEOUT);
        bob.space();
        rig.pages.waitFor("bob", "#mic[aria-pressed=false]", "visible", WebRig.TIMEOUT);
        rig.pages.waitFor("alice", tile("bob") + " .badge.muted", "hidden", WebRig.TIMEOUT);
        bob.tabTo("#camera");
        bob.enter();
        rig.pages.waitFor("bob", "#camera[aria-pressed=true]", "visible", WebRig.TIMEOUT);
        rig.pages.waitFor("carol", tile("bob") + ".video-off", "visible", WebRig.TIMEOUT);
        bob.enter();
        rig.pages.waitFor("bob", "#camera[aria-pressed=false]", "visible", WebRig.TIMEOUT);
        rig.pages.waitFor("carol", tile("bob") + ".video-off", "hidden", WebRig.TIMEOUT);

        // A guest raises a hand: the host and the other guest see it on his tile, the host in the roster too;
        // lowering it removes it everywhere.
        bob.tabTo("#hand");
        bob.enter();
        for (String p : List.of("alice", "carol")) {
            rig.pages.waitFor(p, tile("bob") + " .badge.hand", "visible", WebRig.TIMEOUT);
        }
        rig.pages.waitFor("alice", "#people-panel li[data-user^='" + user("bob") + "/'] .badge.hand", "visible",
                WebRig.TIMEOUT);
        long framesBefore = rig.report("alice").received(user("bob"), "video")[1];
        awaitTrue(() -> rig.report("alice").received(user("bob"), "video")[1] > framesBefore + 15,
                "bob's camera frames decoded at alice (for the screenshot)");
        rig.pages.screenshot("alice", WebConferenceTest.SHOTS.resolve("raised-hand.png"));
        bob.enter();
        for (String p : List.of("alice", "carol")) {
            rig.pages.waitFor(p, tile("bob") + " .badge.hand", "hidden", WebRig.TIMEOUT);
        }
        rig.pages.waitFor("alice", "#people-panel li[data-user^='" + user("bob") + "/'] .badge.hand", "hidden",
                WebRig.TIMEOUT);
        log.info("keyboard: signed in, joined, muted, camera off/on, hand up and down");
    }

    private static void theActiveSpeakerIsHighlighted(WebRig rig, Keyboard bob) throws Exception {
        // Active speaker: only bob's microphone is open (the fake device's tone), so the others highlight him;
        // then only alice's, and the highlight moves to her.
        for (String p : List.of("alice", "carol")) {
            rig.pages.click(p, "#mic");
            rig.pages.waitFor(p, "#mic[aria-pressed=true]", "visible", WebRig.TIMEOUT);
        }
        for (String p : List.of("alice", "carol")) {
            rig.pages.waitFor(p, tile("bob") + ".speaking", "visible", EFFECT_TIMEOUT);
        }
        bob.tabTo("#mic", true);
        bob.space();
        rig.pages.waitFor("bob", "#mic[aria-pressed=true]", "visible", WebRig.TIMEOUT);
        rig.pages.click("alice", "#mic");
        for (String p : List.of("bob", "carol")) {
            rig.pages.waitFor(p, tile("alice") + ".speaking", "visible", EFFECT_TIMEOUT);
            rig.pages.waitFor(p, tile("bob") + ".speaking", "hidden", EFFECT_TIMEOUT);
        }
        rig.pages.waitFor("alice", ".tile.speaking[data-key=local]", "visible", EFFECT_TIMEOUT);
        log.info("active speaker: bob highlighted, then alice");
    }

    private static void qualityOnEveryTileAndTheGridAdapts(WebRig rig) throws Exception {
        // Connection quality: every remote tile shows a measured level.
        for (String p : PEOPLE) {
            awaitTrue(() -> {
                JsonArray tiles = (JsonArray) rig.pages.eval(p, QUALITY, null, WebRig.TIMEOUT);
                return tiles.size() == 2 && tiles.stream().map(JsonObject.class::cast)
                        .allMatch(t -> List.of("good", "fair", "poor").contains(t.getString("level"))
                                && t.getString("label").equals("connection " + t.getString("level")));
            }, "two remote tiles with a connection level at " + p);
        }
        log.info("quality at alice: {}", rig.pages.eval("alice", QUALITY, null, WebRig.TIMEOUT));

        // The grid adapts: three tiles fill a 2x2 grid in the default window, one row of three in a wide and
        // low one; every tile the same size.
        assertGrid(rig, "carol", 2, 2);
        rig.pages.viewport("carol", 1600, 450);
        assertGrid(rig, "carol", 3, 1);
        rig.pages.viewport("carol", 1280, 760);
        assertGrid(rig, "carol", 2, 2);
    }

    private static void aSharedScreenIsShownLarge(WebRig rig) throws Exception {
        // Screen share: carol shares; alice and bob show it as the large tile and decode it.
        rig.pages.click("carol", "#share");
        rig.pages.waitFor("carol", "#share:text('Stop sharing')", "visible", WebRig.TIMEOUT);
        for (String p : List.of("alice", "bob")) {
            long[] frames = new long[1];
            awaitTrue(() -> {
                JsonObject s = (JsonObject) rig.pages.eval(p, STAGE, user("carol"), WebRig.TIMEOUT);
                if (!s.getBoolean("found") || s.getLong("videoWidth") == 0) return false;
                assertThat(s.getDouble("width")).as("the screen tile is the largest at %s: %s", p, s)
                        .isGreaterThan(s.getDouble("widestOther"));
                if (frames[0] == 0) frames[0] = Math.max(1, s.getLong("frames"));
                return s.getLong("frames") > frames[0] + 10;
            }, "carol's screen large and decoding at " + p);
            log.info("screen share at {}: {}", p, rig.pages.eval(p, STAGE, user("carol"), WebRig.TIMEOUT));
        }
        rig.pages.screenshot("bob", WebConferenceTest.SHOTS.resolve("screen-share.png"));
        rig.pages.click("carol", "#share");
        rig.pages.waitFor("bob", ".tile.screen", "detached", EFFECT_TIMEOUT);
    }

    private static void assertGrid(WebRig rig, String page, int cols, int rows) throws Exception {
        JsonObject[] last = new JsonObject[1];
        awaitTrue(() -> {
            JsonObject g = last[0] = (JsonObject) rig.pages.eval(page, GRID, null, WebRig.TIMEOUT);
            return !g.getBoolean("stage") && g.getInteger("tiles") == 3 && g.getInteger("cols") == cols
                    && g.getInteger("rows") == rows;
        }, cols + "x" + rows + " grid at " + page);
        JsonObject g = last[0];
        assertThat(g.getInteger("usedCols")).as("tile columns at %s: %s", page, g).isEqualTo(cols);
        assertThat(g.getInteger("usedRows")).as("tile rows at %s: %s", page, g).isEqualTo(rows);
        assertThat(g.getInteger("sizes")).as("one tile size at %s: %s", page, g).isEqualTo(1);
        log.info("grid at {}: {}", page, g);
    }

    private static String text(WebRig rig, String page, String selector) throws Exception {
        return (String) rig.pages.eval(page, "(s) => document.querySelector(s)?.textContent ?? null", selector,
                WebRig.TIMEOUT);
    }

    private static void awaitTrue(Eventually.Check check, String what) throws Exception {
        Eventually.awaitTrue(EFFECT_TIMEOUT, check, what);
    }
}
