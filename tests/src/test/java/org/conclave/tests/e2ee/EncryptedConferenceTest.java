package org.conclave.tests.e2ee;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
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
 * Issue 4, "what it must show" 3: three headless Chromium pages in a conference that requires E2EE encrypt their
 * audio and video with the JS SFrame transform, each with its own random key (index 0) sent to the others as
 * io.element.call.encryption_keys events through the room; a fourth page runs the same decrypting transform but is
 * never in the room, so it has no keys. One run; each test checks one claim about it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EncryptedConferenceTest {
    private static final Logger log = LoggerFactory.getLogger(EncryptedConferenceTest.class);
    private static final String CONFERENCE = "e2ee-conference";
    private static final List<String> ENCRYPTING = List.of("enc-1", "enc-2", "enc-3");
    private static final String KEYLESS = "enc-4";
    private static final long DURATION_MS = 15_000;
    private static final long MIN_VIDEO_FRAMES = 30;
    private static final long MIN_AUDIO_FRAMES = 100;
    /** A page takes up to 12 samples per kind; some come from frames sent before the transport was up. */
    private static final int MIN_SAMPLES_PER_PAGE = 10;

    private E2eeFixture f;
    private List<PeerStats> peers;
    private RoomKeys roomKeys;

    @BeforeAll
    void run() throws Exception {
        f = E2eeFixture.start();
        try (PeerProcess chromium = f.chromium(CONFERENCE, "enc", 4, DURATION_MS, "e2ee=encrypt&requireE2ee=1",
                "4:e2ee=nokeys&video=0&audio=0")) {
            peers = Stats.peers(chromium.awaitSuccess(Duration.ofSeconds(120)));
        }
        roomKeys = RoomKeys.of(f.room(CONFERENCE));
    }

    @AfterAll
    void stop() {
        if (f != null) f.close();
    }

    @Test
    void everyEncryptingPeerDecodesBothOthersVideo() {
        for (String name : ENCRYPTING) {
            PeerStats p = peer(name);
            E2eeReport e2ee = E2eeReport.of(p);
            String why = Stats.describe(p) + "\n" + p.e2ee();
            List<String> others = ENCRYPTING.stream().filter(n -> !n.equals(name)).map(this::streamOf).toList();
            for (String stream : others) {
                log.info("{} decoded {} video frames of stream {} ({} decrypted)", name, video(p, stream).framesDecoded(),
                        stream, e2ee.decryptedWith(stream, "video", 0));
                assertThat(video(p, stream).framesDecoded()).as("frames decoded from %s at %s: %s", stream, name, why)
                        .isGreaterThanOrEqualTo(MIN_VIDEO_FRAMES);
                assertThat(e2ee.decryptedWith(stream, "video", 0)).as(why).isGreaterThanOrEqualTo(MIN_VIDEO_FRAMES);
            }
            assertThat(e2ee.codec("video")).isEqualTo("video/VP8");
            assertThat(e2ee.codec("audio")).isEqualTo("audio/opus");
            assertThat(e2ee.encrypted()).as(why).isGreaterThan(MIN_AUDIO_FRAMES);
            // Frames that arrive before their sender's key are dropped (UNKNOWN_KEY); none may fail to decrypt.
            assertThat(e2ee.dropped(Reason.AUTH_FAILURE.name()) + e2ee.dropped(Reason.SYNTAX.name())
                    + e2ee.dropped(Reason.REPLAY.name())).as(why).isZero();
            assertThat(e2ee.keysReceived()).as(why).hasSize(2).allSatisfy((device, indices) ->
                    assertThat(indices).containsExactly(0));
        }
        // Every page encrypted everything from its first frame: the SFU's E2EE check refused next to nothing — a
        // sender's first frames while it learns them (probation), and parts of frames sent before it was trusted.
        long media = f.tap.packets().size();
        long probation = (long) ENCRYPTING.size() * E2eeGuard.LEARNING_FRAMES;
        log.info("SFU e2eeDrops {} of {} tapped packets", f.sfu.packetStats().e2eeDrops(), media);
        assertThat(f.sfu.packetStats().e2eeDrops()).as("E2EE drops of %d tapped packets", media)
                .isLessThanOrEqualTo(media / 100 + probation);
        assertThat(f.sfu.packetStats().internalErrors()).isZero();
    }

    @Test
    void theSfuSeesNoPlaintextSampleInAnyPayload() {
        List<String> samples = new ArrayList<>();
        for (String name : ENCRYPTING) {
            List<String> own = E2eeReport.of(peer(name)).samples(null);
            assertThat(own).as("plaintext samples from %s", name).hasSizeGreaterThanOrEqualTo(MIN_SAMPLES_PER_PAGE);
            samples.addAll(own);
        }
        PlaintextSearch search = new PlaintextSearch(samples);
        List<byte[]> seen = new ArrayList<>();
        f.tap.packets().forEach(p -> seen.add(p.rtp()));
        for (String name : ENCRYPTING) {
            seen.addAll(f.framesSentBy(peer(name), "video").stream().map(TappedFrame::data).toList());
        }
        assertThat(f.tap.overflow()).as("packets the tap could not keep").isZero();
        assertThat(seen).hasSizeGreaterThan(1000);
        log.info("{} plaintext samples looked for in {} tapped packets and frames", search.sampleCount(), seen.size());
        assertThat(search.foundIn(seen)).as("plaintext samples in %d tapped payloads and frames", seen.size()).isEmpty();
    }

    @Test
    void tappedFramesDecryptWithTheSendersKeyAndFailWithWhatTheSfuCouldKnow() {
        SecureRandom random = new SecureRandom();
        byte[] randomKey = new byte[32];
        random.nextBytes(randomKey);
        for (String name : ENCRYPTING) {
            PeerStats p = peer(name);
            byte[] key = roomKeys.of(name).get(0);
            assertThat(key).as("key 0 of %s in the room", name).isNotNull();
            List<byte[]> plaintexts = new ArrayList<>();
            for (String kind : List.of("video", "audio")) {
                FrameCodec codec = E2eeFixture.codec(kind);
                List<TappedFrame> frames = f.framesSentBy(p, kind);
                assertThat(frames).as("%s frames of %s in the tap", kind, name)
                        .hasSizeGreaterThanOrEqualTo((int) (kind.equals("video") ? MIN_VIDEO_FRAMES : MIN_AUDIO_FRAMES));
                assertThat(frames).allSatisfy(fr -> assertThat(TapDecryption.kid(fr, codec)).isZero());

                // A member of the room holds the key: every frame the SFU saw decrypts (Java reads the JS framing).
                TapDecryption.Outcome withKey = TapDecryption.decrypt(frames, codec, Map.of(0L, key));
                assertThat(withKey.decrypted()).as("%s %s with its key: %s", name, kind, withKey).isEqualTo(frames.size());
                plaintexts.addAll(withKey.plaintexts());
                log.info("{} {}: {} tapped frames, all decrypt with its key, none with a zero or random key", name,
                        kind, frames.size());

                // The SFU is never in the room: nothing it could try opens a frame.
                for (byte[] guess : List.of(new byte[32], randomKey)) {
                    TapDecryption.Outcome o = TapDecryption.decrypt(frames, codec, Map.of(0L, guess));
                    assertThat(o.decrypted()).as("%s %s with an SFU guess: %s", name, kind, o).isZero();
                    assertThat(o.failed(Reason.AUTH_FAILURE)).as(o.toString()).isEqualTo(frames.size());
                }
            }
            // The samples the page took before encrypting are in the frames decrypted from the tap: the search works.
            List<String> samples = E2eeReport.of(p).samples(null);
            assertThat(new PlaintextSearch(samples).foundIn(plaintexts)).as("samples of %s in its decrypted frames", name)
                    .hasSizeGreaterThanOrEqualTo(samples.size() / 2);
        }
    }

    @Test
    void aPeerWithoutKeysReceivesButDecodesNothing() {
        PeerStats keyless = peer(KEYLESS);
        E2eeReport e2ee = E2eeReport.of(keyless);
        String why = Stats.describe(keyless) + "\n" + keyless.e2ee();
        for (String sender : ENCRYPTING) {
            InboundRtp in = video(keyless, streamOf(sender));
            assertThat(in.packetsReceived()).as("video packets from %s: %s", sender, why).isGreaterThan(MIN_VIDEO_FRAMES);
            assertThat(in.framesDecoded()).as("video frames decoded from %s: %s", sender, why).isZero();
        }
        log.info("{} received {} video packets, decoded 0 frames, dropped {} frames for unknown keys", KEYLESS,
                Stats.inbound(keyless, "video").stream().mapToLong(InboundRtp::packetsReceived).sum(),
                e2ee.dropped(Reason.UNKNOWN_KEY.name()));
        assertThat(e2ee.mode()).isEqualTo("nokeys");
        assertThat(e2ee.decrypted()).as(why).isZero();
        assertThat(e2ee.dropped(Reason.UNKNOWN_KEY.name())).as(why).isGreaterThan(MIN_AUDIO_FRAMES);
        assertThat(e2ee.keysReceived()).as(why).isEmpty();
        assertThat(f.room(CONFERENCE).deliveredUpTo(KEYLESS)).isZero();
        // ... while the others, in the same conference at the same time, decode each other.
        for (String name : ENCRYPTING) {
            assertThat(Stats.decodingVideo(peer(name), MIN_VIDEO_FRAMES)).as(Stats.describe(peer(name))).hasSize(2);
        }
    }

    private PeerStats peer(String name) {
        return peers.stream().filter(p -> p.participant().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no report from " + name));
    }

    private String streamOf(String name) {
        List<String> ids = E2eeReport.of(peer(name)).streamIds();
        assertThat(ids).as("stream ids of %s", name).hasSize(1);
        return ids.get(0);
    }

    private static InboundRtp video(PeerStats p, String streamId) {
        return Stats.inbound(p, "video").stream().filter(i -> streamId.equals(i.streamId())).findFirst()
                .orElseThrow(() -> new AssertionError("no video from stream " + streamId + " at " + Stats.describe(p)));
    }
}
