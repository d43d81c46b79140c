package org.conclave.tests.e2ee;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
 * Issue 4, "what it must show" 6: in a conference that requires E2EE, a page that sends its media unencrypted gets
 * none of it forwarded and the SFU counts the drops, while two encrypting pages in the same conference decode each
 * other. The unencrypted page's frames pass an identity transform that only samples them, so the same plaintext
 * search that finds nothing in the encrypted pages' media must find its bytes in the tap.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class E2eeRequiredTest {
    private static final Logger log = LoggerFactory.getLogger(E2eeRequiredTest.class);
    private static final String CONFERENCE = "e2ee-required";
    private static final List<String> ENCRYPTING = List.of("req-1", "req-2");
    private static final String PLAIN = "req-3";
    private static final long DURATION_MS = 12_000;
    private static final long MIN_VIDEO_FRAMES = 30;
    private static final int MIN_PLAIN_PACKETS = 200;
    private static final double MIN_DROPPED_SHARE = 0.9;

    private E2eeFixture f;
    private List<PeerStats> peers;

    @BeforeAll
    void run() throws Exception {
        f = E2eeFixture.start();
        try (PeerProcess chromium = f.chromium(CONFERENCE, "req", 3, DURATION_MS, "e2ee=encrypt&requireE2ee=1",
                "3:e2ee=plain")) {
            peers = Stats.peers(chromium.awaitSuccess(Duration.ofSeconds(120)));
        }
    }

    @AfterAll
    void stop() {
        if (f != null) f.close();
    }

    @Test
    void noneOfTheUnencryptedMediaIsForwarded() {
        PeerStats plain = peer(PLAIN);
        String plainStream = E2eeReport.of(plain).streamIds().get(0);
        long sent = plainPacketsAtSfu();
        assertThat(sent).as("packets of %s the SFU received", PLAIN).isGreaterThanOrEqualTo(MIN_PLAIN_PACKETS);
        for (String name : ENCRYPTING) {
            PeerStats p = peer(name);
            List<InboundRtp> fromPlain = p.inbound().stream().filter(i -> plainStream.equals(i.streamId())).toList();
            long received = fromPlain.stream().mapToLong(InboundRtp::packetsReceived).sum();
            long decoded = fromPlain.stream().mapToLong(InboundRtp::framesDecoded).sum();
            log.info("{} got {} of {} packets {} sent unencrypted, decoded {} frames", name, received, sent, PLAIN, decoded);
            assertThat(received).as("packets from %s at %s: %s", PLAIN, name, Stats.describe(p)).isZero();
            assertThat(decoded).as(Stats.describe(p)).isZero();
        }
    }

    @Test
    void theDropsAreCounted() {
        long sent = plainPacketsAtSfu();
        long drops = f.sfu.packetStats().e2eeDrops();
        log.info("SFU e2eeDrops {} for {} unencrypted packets", drops, sent);
        assertThat(drops).isGreaterThanOrEqualTo((long) (sent * MIN_DROPPED_SHARE));
        // A packet the SFU NACKed and got again as RTX is dropped once more: retransmissions may add to the count; so
        // do the encrypting pages' first frames, held back until their counter is established (a frame of a 640x480
        // key frame is at most ~30 packets).
        long retransmitted = f.sfu.packetStats().rtxReceived();
        long probation = (long) ENCRYPTING.size() * E2eeGuard.LEARNING_FRAMES * 30;
        assertThat(drops).as("drops beyond the unencrypted packets (%d retransmissions)", retransmitted)
                .isLessThanOrEqualTo(sent + retransmitted + sent / 100 + probation);
        assertThat(f.sfu.packetStats().e2eeHolds()).as("endpoints held: the unencrypted page only").isEqualTo(1);
    }

    @Test
    void encryptedPeersStillDecodeEachOther() {
        for (String name : ENCRYPTING) {
            PeerStats p = peer(name);
            String other = E2eeReport.of(peer(ENCRYPTING.get(name.equals(ENCRYPTING.get(0)) ? 1 : 0))).streamIds().get(0);
            long decoded = Stats.inbound(p, "video").stream().filter(i -> other.equals(i.streamId()))
                    .mapToLong(InboundRtp::framesDecoded).sum();
            log.info("{} decoded {} video frames of the other encrypting peer", name, decoded);
            assertThat(decoded).as(Stats.describe(p)).isGreaterThanOrEqualTo(MIN_VIDEO_FRAMES);
        }
    }

    @Test
    void theTapShowsThePlaintextOfTheUnencryptedPeerOnly() {
        PeerStats plain = peer(PLAIN);
        List<String> plainSamples = E2eeReport.of(plain).samples(null);
        assertThat(E2eeReport.of(plain).mode()).isEqualTo("plain");
        assertThat(E2eeReport.of(plain).encrypted()).isZero();
        assertThat(plainSamples).hasSizeGreaterThanOrEqualTo(10);
        int found = new PlaintextSearch(plainSamples).foundIn(seenFrom(plain)).size();
        log.info("{} of {} plaintext samples of {} found in the tap", found, plainSamples.size(), PLAIN);
        assertThat(found).isGreaterThanOrEqualTo(plainSamples.size() / 2);

        // The encrypting pages' media, seen the same way, shows none of theirs. (Each page's own media only: the
        // fake camera and microphone make the same frames in every page, so the unencrypted page sends theirs too.)
        for (String name : ENCRYPTING) {
            PeerStats p = peer(name);
            List<String> samples = E2eeReport.of(p).samples(null);
            assertThat(samples).hasSizeGreaterThanOrEqualTo(10);
            assertThat(new PlaintextSearch(samples).foundIn(seenFrom(p))).as("samples of %s in its tapped media", name)
                    .isEmpty();
        }
    }

    /** The tapped packets and the rebuilt video frames of one page. */
    private List<byte[]> seenFrom(PeerStats p) {
        List<byte[]> seen = new ArrayList<>();
        f.tap.packets().stream().filter(t -> t.endpointId().equals(p.endpointId())).forEach(t -> seen.add(t.rtp()));
        f.framesSentBy(p, "video").forEach(fr -> seen.add(fr.data()));
        return seen;
    }

    private long plainPacketsAtSfu() {
        PeerStats plain = peer(PLAIN);
        return f.packetsSentBy(plain, "video").size() + f.packetsSentBy(plain, "audio").size();
    }

    private PeerStats peer(String name) {
        return peers.stream().filter(p -> p.participant().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no report from " + name));
    }
}
