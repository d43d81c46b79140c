package org.conclave.sfu.room;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.conclave.sfu.clock.FakeClock;
import org.conclave.sfu.control.Role;
import org.junit.jupiter.api.Test;

/** Dominant speaker with hysteresis, speaking flags, claims as a fallback; scripted 200 ms level reports. */
class SpeakerDetectorTest {
    private final FakeClock clock = new FakeClock();
    private final SpeakerDetector detector = new SpeakerDetector(RoomOptions.DEFAULTS);

    /** Feeds the same levels every 200 ms for {@code ms}. */
    private void play(Map<String, Integer> levels, int ms) {
        for (int t = 0; t < ms; t += 200) {
            detector.levels(levels, clock.nanoTime());
            detector.evaluate(clock.nanoTime(), id -> true);
            clock.advanceMillis(200);
        }
    }

    @Test
    void loudestTakesOverOnlyAfterTheHold() {
        play(Map.of("a", 30), 400);
        assertThat(detector.dominant()).isNull();
        play(Map.of("a", 30), 400);
        assertThat(detector.dominant()).isEqualTo("a");
        play(Map.of("a", 40, "b", 20), 600);
        assertThat(detector.dominant()).isEqualTo("a");
        play(Map.of("a", 40, "b", 20), 200);
        assertThat(detector.dominant()).isEqualTo("b");
    }

    @Test
    void shortBlipsDoNotSwitch() {
        play(Map.of("a", 30), 800);
        for (int i = 0; i < 5; i++) {
            play(Map.of("a", 40, "b", 10), 400); // a cough: louder, but not for 600 ms
            assertThat(detector.dominant()).isEqualTo("a");
            play(Map.of("a", 30), 200);
        }
        assertThat(detector.dominant()).isEqualTo("a");
    }

    @Test
    void silenceKeepsTheDominantAndBelowThresholdIsNotVoice() {
        play(Map.of("a", 30), 800);
        play(Map.of(), 2000);
        assertThat(detector.dominant()).isEqualTo("a");
        play(Map.of("b", RoomOptions.DEFAULT_VOICE_LEVEL + 1), 2000);
        assertThat(detector.dominant()).isEqualTo("a");
        assertThat(detector.speaking("b", clock.nanoTime())).isFalse();
    }

    @Test
    void speakingLastsTheHangover() {
        play(Map.of("a", 30), 200);
        long spoke = clock.nanoTime() - 200_000_000L;
        assertThat(detector.speaking("a", spoke + 999_000_000L)).isTrue();
        assertThat(detector.speaking("a", spoke + 1_000_000_000L)).isFalse();
    }

    @Test
    void claimsCountOnlyWithoutLevelsAndLoseToMeasuredVoices() {
        detector.claim("c", true, clock.nanoTime());
        assertThat(detector.speaking("c", clock.nanoTime())).isTrue();
        play(Map.of(), 800);
        assertThat(detector.dominant()).isEqualTo("c");
        detector.claim("d", true, clock.nanoTime());
        play(Map.of("a", 50), 1000);
        assertThat(detector.dominant()).isEqualTo("a");
        // a client with levels cannot talk its way in
        detector.claim("a", true, clock.nanoTime());
        play(Map.of(), 200);
        assertThat(detector.speaking("a", clock.nanoTime() + 2_000_000_000L)).isFalse();
        detector.claim("c", false, clock.nanoTime());
        assertThat(detector.speaking("c", clock.nanoTime())).isFalse();
    }

    @Test
    void claimsExpire() {
        detector.claim("c", true, clock.nanoTime());
        clock.advanceMillis(RoomOptions.DEFAULT_SPEAKING_CLAIM_TIMEOUT.toMillis());
        assertThat(detector.speaking("c", clock.nanoTime())).isFalse();
    }

    @Test
    void staleLevelsAreSilence() {
        detector.levels(Map.of("a", 10), clock.nanoTime());
        clock.advanceMillis(1000);
        detector.evaluate(clock.nanoTime(), id -> true);
        clock.advanceMillis(1000);
        detector.evaluate(clock.nanoTime(), id -> true);
        assertThat(detector.dominant()).isNull();
    }

    @Test
    void roomAnnouncesDominantSpeakerAndIgnoresMutedParticipants() {
        RoomFixture f = new RoomFixture();
        f.room.join("a", "@a:x", Role.HOST);
        f.room.join("b", "@b:x", Role.GUEST);
        for (int i = 0; i < 4; i++) {
            f.room.onAudioLevels(Map.of("b", 20));
            f.clock.advanceMillis(200);
        }
        assertThat(f.out.last("a", "org.conclave.dominant_speaker").get("endpoint_id").asText()).isEqualTo("b");
        assertThat(f.out.last("a", "org.conclave.dominant_speaker").get("participant").asText()).isEqualTo("@b:x");
        assertThat(f.out.to("b", "org.conclave.dominant_speaker")).hasSize(1);
        f.send("a", "org.conclave.mute", "{\"endpoint_id\":\"b\"}");
        f.room.join("c", "@c:x", Role.GUEST);
        assertThat(f.out.last("c", "org.conclave.dominant_speaker").get("endpoint_id").asText()).isEqualTo("b");
        f.out.clear();
        for (int i = 0; i < 10; i++) {
            f.room.onAudioLevels(Map.of("b", 5, "c", 40));
            f.clock.advanceMillis(200);
            f.room.tick();
        }
        assertThat(f.room.dominantSpeaker()).isEqualTo("c");
        assertThat(f.entry("b").speaking()).isFalse();
        assertThat(f.out.to("a", "org.conclave.dominant_speaker")).hasSize(1);
        f.room.leave("c");
        assertThat(f.out.last("a", "org.conclave.dominant_speaker").get("endpoint_id").isNull()).isTrue();
    }

    @Test
    void roomUsesTalkingClaims() {
        RoomFixture f = new RoomFixture();
        f.room.join("a", "@a:x", Role.HOST);
        f.room.join("b", "@b:x", Role.GUEST);
        f.send("b", "org.conclave.speaking", "{\"speaking\":true}");
        assertThat(f.entry("b").speaking()).isTrue();
        f.clock.advanceMillis(700);
        f.room.tick();
        assertThat(f.room.dominantSpeaker()).isEqualTo("b");
        f.send("b", "org.conclave.speaking", "{\"speaking\":false}");
        assertThat(f.entry("b").speaking()).isFalse();
    }
}
