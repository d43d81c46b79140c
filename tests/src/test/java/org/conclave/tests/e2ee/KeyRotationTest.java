package org.conclave.tests.e2ee;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.conclave.keyexchange.frame.FrameCodec;
import org.conclave.keyexchange.sframe.SFrameException.Reason;
import org.conclave.sfu.e2ee.E2eeGuard;
import org.conclave.tests.harness.InboundRtp;
import org.conclave.tests.harness.PeerProcess;
import org.conclave.tests.harness.PeerStats;
import org.conclave.tests.harness.Stats;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rotation on leave in the browser: three encrypting pages; the third leaves the room and the conference after
 * {@value #LEAVE_AFTER_MS} ms; the other two each announce a new key (index 1) in the room, which the relay no longer
 * shows the leaver, switch to it after a grace delay, and keep decoding each other.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KeyRotationTest {
    private static final Logger log = LoggerFactory.getLogger(KeyRotationTest.class);
    private static final String CONFERENCE = "e2ee-rotation";
    private static final List<String> REMAINING = List.of("rot-1", "rot-2");
    private static final String LEAVER = "rot-3";
    private static final long LEAVE_AFTER_MS = 9_000;
    private static final long DURATION_MS = 21_000;
    private static final long MIN_VIDEO_FRAMES = 30;
    private static final int NEW_INDEX = 1;

    private E2eeFixture f;
    private List<PeerStats> peers;
    private RoomKeys roomKeys;

    @BeforeAll
    void run() throws Exception {
        f = E2eeFixture.start();
        try (PeerProcess chromium = f.chromium(CONFERENCE, "rot", 3, DURATION_MS, "e2ee=encrypt&requireE2ee=1",
                "3:leaveAfterMs=" + LEAVE_AFTER_MS)) {
            peers = Stats.peers(chromium.awaitSuccess(Duration.ofSeconds(120)));
        }
        roomKeys = RoomKeys.of(f.room(CONFERENCE));
    }

    @AfterAll
    void stop() {
        if (f != null) f.close();
    }

    @Test
    void theRemainingPeersRotateAndKeepDecodingEachOther() {
        for (String name : REMAINING) {
            PeerStats p = peer(name);
            E2eeReport e2ee = E2eeReport.of(p);
            String why = Stats.describe(p) + "\n" + p.e2ee();
            assertThat(e2ee.sendKeyIndex()).as(why).isEqualTo(NEW_INDEX);
            assertThat(e2ee.rotations()).as(why).hasSize(1);
            JsonNode rotation = e2ee.rotations().get(0);
            assertThat(rotation.path("leaver").asText()).isEqualTo(LEAVER);
            assertThat(rotation.path("usedAtMs").isNumber()).as(why).isTrue();

            String other = streamOf(other(name));
            InboundRtp video = Stats.inbound(p, "video").stream().filter(i -> other.equals(i.streamId())).findFirst()
                    .orElseThrow(() -> new AssertionError("no video of " + other(name) + ": " + why));
            long atRotation = rotation.path("framesDecoded").path(video.trackIdentifier()).asLong(-1);
            long withNewKey = e2ee.decryptedWith(other, "video", NEW_INDEX);
            log.info("{}: video of {} decoded {} frames, {} of them after the rotation; {} decrypted with key {}",
                    name, other(name), video.framesDecoded(), video.framesDecoded() - atRotation, withNewKey, NEW_INDEX);
            assertThat(atRotation).as("frames decoded when %s switched keys: %s", name, why).isNotNegative();
            assertThat(video.framesDecoded() - atRotation).as(why).isGreaterThanOrEqualTo(MIN_VIDEO_FRAMES);
            assertThat(withNewKey).as(why).isGreaterThanOrEqualTo(MIN_VIDEO_FRAMES);
            assertThat(e2ee.dropped(Reason.AUTH_FAILURE.name())).as(why).isZero();
        }
        // The SFU's check follows the new KID: the counter keeps advancing across the key change. What it refuses is
        // each sender's first frames while it learns them (probation, three senders) and next to nothing else.
        long media = f.tap.packets().size();
        long probation = 3L * E2eeGuard.LEARNING_FRAMES;
        assertThat(f.sfu.packetStats().e2eeDrops()).as("of %d tapped packets", media)
                .isLessThanOrEqualTo(media / 100 + probation);
    }

    @Test
    void theLeaverNeverReceivesTheNewKeys() {
        E2eeReport leaver = E2eeReport.of(peer(LEAVER));
        assertThat(leaver.keysReceived()).as(peer(LEAVER).e2ee().toString()).hasSize(2)
                .allSatisfy((device, indices) -> assertThat(indices).containsExactly(0));
        long delivered = f.room(CONFERENCE).deliveredUpTo(LEAVER);
        for (String name : REMAINING) {
            long announced = roomKeys.firstAnnounced(name, NEW_INDEX);
            log.info("{} announced key {} in event {}; the room showed {} events up to {}", name, NEW_INDEX, announced,
                    LEAVER, delivered);
            assertThat(announced).as("event announcing key %d of %s", NEW_INDEX, name).isPositive();
            assertThat(delivered).as("last event shown to %s", LEAVER).isLessThan(announced);
        }
    }

    @Test
    void framesSentAfterTheRotationResistEveryKeyTheLeaverHeld() {
        List<byte[]> leaverKeys = new ArrayList<>();
        for (String name : List.of("rot-1", "rot-2", LEAVER)) leaverKeys.add(roomKeys.of(name).get(0));
        assertThat(leaverKeys).doesNotContainNull();
        for (String name : REMAINING) {
            byte[] newKey = roomKeys.of(name).get(NEW_INDEX);
            assertThat(newKey).as("key %d of %s in the room", NEW_INDEX, name).isNotNull();
            for (String kind : List.of("video", "audio")) {
                FrameCodec codec = E2eeFixture.codec(kind);
                List<TappedFrame> after = f.framesSentBy(peer(name), kind).stream()
                        .filter(fr -> TapDecryption.kid(fr, codec) == NEW_INDEX).toList();
                assertThat(after).as("%s frames of %s with KID %d", kind, name, NEW_INDEX)
                        .hasSizeGreaterThanOrEqualTo((int) MIN_VIDEO_FRAMES);

                TapDecryption.Outcome withNewKey = TapDecryption.decrypt(after, codec, Map.of((long) NEW_INDEX, newKey));
                assertThat(withNewKey.decrypted()).as(withNewKey.toString()).isEqualTo(after.size());

                // What the leaver has: the old keys under their own KID, and the same bytes tried as the new KID.
                Map<Long, byte[]> asOld = Map.of(0L, leaverKeys.get(0));
                TapDecryption.Outcome o = TapDecryption.decrypt(after, codec, asOld);
                assertThat(o.failed(Reason.UNKNOWN_KEY)).as(o.toString()).isEqualTo(after.size());
                for (byte[] old : leaverKeys) {
                    Map<Long, byte[]> asNew = new HashMap<>();
                    asNew.put((long) NEW_INDEX, old);
                    TapDecryption.Outcome guess = TapDecryption.decrypt(after, codec, asNew);
                    assertThat(guess.decrypted()).as(guess.toString()).isZero();
                    assertThat(guess.failed(Reason.AUTH_FAILURE)).as(guess.toString()).isEqualTo(after.size());
                }
                log.info("{} {}: {} frames with key {} in the tap; the leaver's keys open none", name, kind,
                        after.size(), NEW_INDEX);
            }
        }
    }

    private String other(String name) {
        return REMAINING.get(name.equals(REMAINING.get(0)) ? 1 : 0);
    }

    private String streamOf(String name) {
        return E2eeReport.of(peer(name)).streamIds().get(0);
    }

    private PeerStats peer(String name) {
        return peers.stream().filter(p -> p.participant().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no report from " + name));
    }
}
