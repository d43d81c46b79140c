package org.conclave.tests.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import org.conclave.keyexchange.frame.FrameCodec;
import org.conclave.tests.e2ee.FrameAssembler;
import org.conclave.tests.e2ee.PlaintextSearch;
import org.conclave.tests.e2ee.TapDecryption;
import org.conclave.tests.e2ee.TappedFrame;
import org.conclave.tests.e2ee.TappedPacket;
import org.conclave.tests.homeserver.HomeserverDouble;
import org.conclave.tests.homeserver.ScriptedClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issue 13, must-show 1 and 2: the built Conclave Web app in three headless Chromium contexts signs in with passwords
 * against the homeserver double, opens an encrypted room and joins its conference through Conclave; each page decodes
 * the two others' video and hears their audio, and all show the same check code. Media keys crossed the double only
 * as m.room.encrypted, and the SFU's tap holds no plaintext. Then a fourth person joins and leaves: within 6 s the
 * others rotate, and what they send afterwards does not decrypt with any key the leaver's page held.
 */
class WebConferenceTest {
    private static final Logger log = LoggerFactory.getLogger(WebConferenceTest.class);
    private static final int MIN_SAMPLES = 10;
    private static final long ROTATION_LIMIT_MS = 6000;
    private static final List<String> PEOPLE = List.of("alice", "bob", "carol");
    /** Screenshots for docs/web.md (test artifacts). */
    static final Path SHOTS = Path.of("target", "web-screenshots");

    @TempDir
    Path dir;

    @Test
    void threePagesDecodeEachOtherWithKeysOnlyThroughMatrixE2eeAndRotateWhenOneLeaves() throws Exception {
        try (WebRig rig = WebRig.start(dir)) {
            ScriptedClient alice = rig.user("alice");
            ScriptedClient bob = rig.user("bob");
            ScriptedClient carol = rig.user("carol");
            ScriptedClient dave = rig.user("dave");
            String room = rig.encryptedRoom("Design review", alice, bob, carol, dave);
            for (String p : PEOPLE) rig.signIn(p, p);
            for (String p : PEOPLE) rig.join(p, room);

            Map<String, PageReport> reports = rig.awaitAllDecoding(PEOPLE);
            String code = reports.get("alice").checkCode();
            assertThat(code).matches("\\d{6}");
            for (PageReport r : reports.values()) assertThat(r.checkCode()).as("check code at %s", r.userId()).isEqualTo(code);
            log.info("three pages decode each other; check code {} everywhere", code);

            reports = awaitSamples(rig, MIN_SAMPLES);
            assertKeysCrossedTheDoubleOnlyEncrypted(rig.hs, reports.values());
            assertTheTapHoldsNoPlaintext(rig, reports.values());

            // must-show 3 (part) and 4: the host sees the host panel, a guest has none of its controls.
            rig.pages.waitFor("alice", ".host-panel #lock-toggle", "visible", WebRig.TIMEOUT);
            assertThat(rig.pages.count("bob", ".host-panel, #lock-toggle, #mute-guests, .entry-actions")).isZero();
            rig.pages.screenshot("bob", SHOTS.resolve("call-3-people.png"));

            // must-show 2: dave joins, then leaves the call (stays in the room).
            rig.signIn("dave", "dave");
            rig.openPrejoin("dave", room);
            rig.pages.screenshot("dave", SHOTS.resolve("pre-join.png"));
            rig.pages.click("dave", "#join");
            rig.awaitAllDecoding(List.of("alice", "bob", "carol", "dave"));
            long leftAt = System.currentTimeMillis(); // the person's click: the pages may rotate before it returns
            rig.pages.click("dave", "#leave");
            rig.pages.waitFor("dave", "[data-screen=rooms]", "visible", WebRig.TIMEOUT);
            JsonObject daveKeys = ((JsonObject) rig.pages.eval("dave", PageReport.SCRIPT, null, WebRig.TIMEOUT))
                    .getJsonObject("lastKeyring");
            assertThat(PageReport.remoteKeys(daveKeys)).as("dave held the others' keys").hasSize(3);
            Map<String, Long> rotatedAfter = awaitRotation(rig, leftAt);
            log.info("rotation after dave left, ms per page: {}", rotatedAfter);
            assertThat(rotatedAfter.values()).allMatch(ms -> ms <= ROTATION_LIMIT_MS);
            Map<String, PageReport> after = rig.awaitAllDecoding(PEOPLE);
            assertFramesAfterRotationResistTheLeaversKeys(rig, after, daveKeys);
            assertALaterJoinerIsDecryptedOnTheLinesTheLeaverLeft(rig, room, after);
            // must-show 4: a failure in words (a room Conclave is not in).
            String noBot = alice.createRoom(org.conclave.tests.homeserver.RoomOptions.privateRoom("Coffee corner")
                    .encrypted(true).inviting(dave.userId()));
            dave.join(noBot);
            rig.pages.click("dave", "[data-room-id='" + noBot + "']");
            rig.pages.click("dave", "#join-call");
            rig.pages.waitFor("dave", "[data-failure=no_conference_server]", "visible", WebRig.TIMEOUT);
            rig.pages.screenshot("dave", SHOTS.resolve("failure-no-conference-server.png"));
            String newCode = after.get("alice").checkCode();
            for (PageReport r : after.values()) assertThat(r.checkCode()).isEqualTo(newCode);
            assertThat(newCode).isNotEqualTo(code);
        }
    }

    /**
     * Dave comes back: each other page's session gives his audio and video the m-lines he left idle (docs/protocol.md,
     * "What the SFU's re-offers contain"; the browser fires 'track' again there and the page sets a new decrypting
     * transform for his new stream), so the sessions do not grow, and his new stream decrypts and decodes. Then he
     * leaves again.
     */
    private static void assertALaterJoinerIsDecryptedOnTheLinesTheLeaverLeft(WebRig rig, String room,
            Map<String, PageReport> before) throws Exception {
        rig.join("dave", room);
        Map<String, PageReport> back = rig.awaitAllDecoding(List.of("alice", "bob", "carol", "dave"));
        long deadline = System.nanoTime() + WebRig.MEDIA_TIMEOUT.toNanos();
        for (String p : PEOPLE) {
            PageReport r = back.get(p);
            String stream = r.json().getJsonArray("feeds").stream().map(JsonObject.class::cast)
                    .filter(f -> f.getString("userId").startsWith("@dave:")
                            && "m.usermedia".equals(f.getString("purpose")))
                    .map(f -> f.getString("streamId")).findFirst().orElseThrow();
            long decrypted;
            while ((decrypted = decryptedVideo(r, stream)) < WebRig.MIN_FRAMES && System.nanoTime() < deadline
                    && parked(500)) {
                r = rig.report(p);
            }
            int lines = r.json().getJsonObject("peer").getInteger("transceivers");
            int linesBefore = before.get(p).json().getJsonObject("peer").getInteger("transceivers");
            log.info("{}: dave's new stream {}: {} video frames decrypted; {} m-lines (before he came back: {})", p,
                    stream, decrypted, lines, linesBefore);
            assertThat(decrypted).as("%s decrypts dave's new video", p).isGreaterThanOrEqualTo(WebRig.MIN_FRAMES);
            assertThat(lines).as("%s's m-lines: dave's came back on the idle ones", p).isEqualTo(linesBefore);
        }
        rig.pages.click("dave", "#leave");
        rig.pages.waitFor("dave", "[data-screen=rooms]", "visible", WebRig.TIMEOUT);
    }

    /** Video frames of {@code streamId} the page's SFrame worker decrypted, over every key. */
    private static long decryptedVideo(PageReport r, String streamId) {
        JsonObject by = r.json().getJsonObject("e2ee").getJsonObject("decryptedBy", new JsonObject());
        return by.fieldNames().stream().filter(k -> k.startsWith(streamId + "/video/"))
                .mapToLong(k -> by.getLong(k)).sum();
    }

    private static void assertKeysCrossedTheDoubleOnlyEncrypted(HomeserverDouble hs, Iterable<PageReport> reports) {
        List<String> keys = new ArrayList<>();
        for (PageReport r : reports) keys.addAll(PageReport.keysOf(r.json().getJsonObject("keyring")));
        assertThat(keys).hasSizeGreaterThanOrEqualTo(9).allMatch(k -> k.length() >= 22);
        assertThat(hs.requests("PUT", "/sendToDevice/m.room.encrypted/")).as("Olm-encrypted to-device sends")
                .isNotEmpty();
        assertThat(hs.requests()).as("no key type sent in clear")
                .noneMatch(r -> r.path().contains("io.element.call.encryption_keys"));
        assertThat(hs.requests()).as("no media key in any request body")
                .noneMatch(r -> keys.stream().anyMatch(k -> r.body() != null && r.body().contains(k)));
    }

    private static void assertTheTapHoldsNoPlaintext(WebRig rig, Iterable<PageReport> reports) {
        List<String> samples = new ArrayList<>();
        for (PageReport r : reports) {
            assertThat(r.samples()).as("plaintext samples of %s", r.userId()).hasSizeGreaterThanOrEqualTo(MIN_SAMPLES);
            samples.addAll(r.samples());
        }
        List<byte[]> seen = new ArrayList<>();
        rig.tap.packets().forEach(p -> seen.add(p.rtp()));
        assertThat(rig.tap.overflow()).isZero();
        assertThat(seen).hasSizeGreaterThan(500);
        assertThat(new PlaintextSearch(samples).foundIn(seen)).as("plaintext in %d tapped packets", seen.size())
                .isEmpty();
        log.info("{} plaintext samples looked for in {} tapped packets: none found", samples.size(), seen.size());
    }

    /**
     * The pages' reports once each holds {@code n} samples of its own frames before encryption (a page takes them as
     * it encrypts; a fast start can decode everyone before a page has taken enough).
     */
    private static Map<String, PageReport> awaitSamples(WebRig rig, int n) throws Exception {
        long deadline = System.nanoTime() + WebRig.MEDIA_TIMEOUT.toNanos();
        Map<String, PageReport> reports = new HashMap<>();
        do {
            for (String p : PEOPLE) reports.put(p, rig.report(p));
        } while (reports.values().stream().anyMatch(r -> r.samples().size() < n) && System.nanoTime() < deadline
                && parked(500));
        return reports;
    }

    /** Waits {@code ms}; true, so that it can end a loop condition. */
    private static boolean parked(long ms) {
        LockSupport.parkNanos(ms * 1_000_000L);
        return true;
    }

    /** Milliseconds from the leave to each remaining page's rotation. */
    private static Map<String, Long> awaitRotation(WebRig rig, long leftAt) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        Map<String, Long> out = new HashMap<>();
        Map<String, Object> last = new HashMap<>();
        while (out.size() < PEOPLE.size()) {
            for (String p : PEOPLE) {
                JsonObject r = (JsonObject) rig.pages.eval(p, PageReport.SCRIPT, null, WebRig.TIMEOUT);
                last.put(p, r.getValue("roster") + " rotations " + r.getValue("rotations"));
                for (Object o : r.getJsonArray("rotations")) {
                    long at = ((JsonObject) o).getLong("at");
                    if (at >= leftAt) out.putIfAbsent(p, at - leftAt);
                }
            }
            if (System.nanoTime() > deadline) throw new AssertionError("no rotation at every page: " + out + " " + last);
            LockSupport.parkNanos(100_000_000L);
        }
        return out;
    }

    /** Video frames each remaining page sent under its new key: none decrypts with any key dave's page held. */
    private static void assertFramesAfterRotationResistTheLeaversKeys(WebRig rig, Map<String, PageReport> reports,
            JsonObject leaverKeyring) {
        Map<String, Map<Long, byte[]>> daveHeld = PageReport.remoteKeys(leaverKeyring);
        for (String p : PEOPLE) {
            PageReport r = reports.get(p);
            Map<Long, byte[]> old = daveHeld.get(r.userId());
            assertThat(old).as("dave held %s's key", p).isNotEmpty();
            List<TappedFrame> before = new ArrayList<>();
            List<TappedFrame> afterRotation = new ArrayList<>();
            // The pages went on decoding through the rotation: wait until enough frames under the new key were sent.
            long deadline = System.nanoTime() + WebRig.MEDIA_TIMEOUT.toNanos();
            do {
                before.clear();
                afterRotation.clear();
                for (long ssrc : r.outboundSsrcs("video")) {
                    List<TappedPacket> packets = rig.tap.packets(r.endpointId(), ssrc);
                    for (TappedFrame f : FrameAssembler.vp8(packets)) {
                        long kid = TapDecryption.kid(f, FrameCodec.VP8);
                        if (old.containsKey(kid)) before.add(f);
                        else if (kid >= 0) afterRotation.add(f);
                    }
                }
            } while (afterRotation.size() <= WebRig.MIN_FRAMES && System.nanoTime() < deadline
                    && parked(500));
            assertThat(before).as("frames of %s under the key dave held", p).isNotEmpty();
            // The check can fail: dave's keys open frames sent under them. Not every one: the tap reassembles frames
            // from what reached the SFU, and frames it puts together wrongly under load decrypt with no key (1 of
            // 587 in one run, 100 of 424 in a loaded one); that some open proves the decryption below can succeed.
            long opened = TapDecryption.decrypt(before, FrameCodec.VP8, old).decrypted();
            log.info("{}: {} of {} frames under the keys dave held open with them", p, opened, before.size());
            assertThat(opened).as("the check can fail").isGreaterThan(WebRig.MIN_FRAMES);
            assertThat(afterRotation).as("frames of %s under its new key", p).hasSizeGreaterThan((int) WebRig.MIN_FRAMES);
            for (byte[] key : old.values()) {
                long newKid = TapDecryption.kid(afterRotation.get(0), FrameCodec.VP8);
                TapDecryption.Outcome o = TapDecryption.decrypt(afterRotation, FrameCodec.VP8, Map.of(newKid, key));
                assertThat(o.decrypted()).as("%s's new frames with dave's key: %s", p, o).isZero();
            }
            log.info("{}: {} frames under the old key decrypt with dave's copy, {} after rotation do not", p,
                    before.size(), afterRotation.size());
        }
    }
}
