package org.conclave.tests.e2ee;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.conclave.sfu.e2ee.E2eeEndpointStats;
import org.conclave.sfu.e2ee.E2eeState;
import org.conclave.tests.harness.AllocatedEndpoint;
import org.conclave.tests.harness.InboundRtp;
import org.conclave.tests.harness.PeerCommand;
import org.conclave.tests.harness.PeerProcess;
import org.conclave.tests.harness.PeerStats;
import org.conclave.tests.harness.SignalEvent;
import org.conclave.tests.harness.Stats;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issue 12, "what it must show" 4, at the level of the control contract: a conference that does not require E2EE
 * runs with two encrypting Chromium pages, a page that decrypts nothing, and an aiortc client that does not encrypt
 * (noisy video), which that page decodes. Then {@code SfuControl.requireE2ee(conference)}: once it completed, no frame of the
 * plaintext sender is forwarded any more (the SFU forwards none, the pages receive no further packet), the sender is
 * told and the pages see it in the roster, and the pages keep decoding each other. (The Matrix-level version, with
 * {@code m.room.encryption} through the homeserver double, needs the appservice side of issue 12.)
 */
class RequireE2eeMidCallTest {
    private static final Logger log = LoggerFactory.getLogger(RequireE2eeMidCallTest.class);
    private static final String CONFERENCE = "midcall";
    private static final long DURATION_MS = 40_000;

    @Test
    void plaintextStopsAtOnceAndEncryptedPeersGoOn() throws Exception {
        try (E2eeFixture f = E2eeFixture.start();
                PeerProcess chromium = f.chromium(CONFERENCE, "enc", 3, DURATION_MS,
                        "e2ee=encrypt&datachannel=1&pingSizes=100&statsIntervalMs=500",
                        PlaintextSenderTest.VIEWER_QUERY);
                PeerProcess plain = PeerCommand.aiortc().signal(f.signal).conference(CONFERENCE).participant("plain")
                        .durationMs(DURATION_MS).video().audio()
                        .arg("--noise-video", "--datachannel", "--ping-sizes", "100").start()) {
            AllocatedEndpoint page = f.signal.awaitEndpoint("enc-1", Duration.ofSeconds(30)).orElseThrow();
            AllocatedEndpoint viewer = f.signal.awaitEndpoint("enc-3", Duration.ofSeconds(30)).orElseThrow();
            AllocatedEndpoint sender = f.signal.awaitEndpoint("plain", Duration.ofSeconds(30)).orElseThrow();
            AllocatedEndpoint other = f.signal.awaitEndpoint("enc-2", Duration.ofSeconds(30)).orElseThrow();
            String partner = f.signal.awaitLiveStats(other.endpointId(), s -> s.e2ee() != null
                    && !E2eeReport.of(s).streamIds().isEmpty(), Duration.ofSeconds(40))
                    .map(s -> E2eeReport.of(s).streamIds().get(0)).orElseThrow();
            String mine = f.signal.awaitLiveStats(page.endpointId(), s -> s.e2ee() != null
                    && !E2eeReport.of(s).streamIds().isEmpty(), Duration.ofSeconds(40))
                    .map(s -> E2eeReport.of(s).streamIds().get(0)).orElseThrow();
            List<String> encrypting = List.of(mine, partner);
            // Before: the viewer decodes the plaintext video (the conference does not require E2EE yet), the page
            // its partner.
            Optional<PeerStats> before = f.signal.awaitLiveStats(viewer.endpointId(),
                    s -> plainDecoded(s, encrypting) > 20, Duration.ofSeconds(40));
            assertThat(before).as("the viewer decodes the plaintext sender first: %s",
                    f.signal.liveStats(viewer.endpointId())).isPresent();
            assertThat(f.signal.awaitLiveStats(page.endpointId(), s -> partnerDecoded(s, partner) > 20,
                    Duration.ofSeconds(20))).as("the page decodes its partner").isPresent();

            long asked = System.nanoTime();
            f.sfu.control().requireE2ee(CONFERENCE).toCompletableFuture().get(5, TimeUnit.SECONDS);
            long appliedMs = (System.nanoTime() - asked) / 1_000_000;
            assertThat(sender.events().await(SignalEvent.MEDIA_REFUSED, Duration.ofSeconds(10)))
                    .as("onMediaRefused for the plaintext sender").isPresent();
            // From here on nothing of the sender may be forwarded; wait until the pages have shown it for a while.
            long partnerAtSwitch = partnerDecoded(f.signal.liveStats(page.endpointId()).orElseThrow(), partner);
            Optional<PeerStats> after = f.signal.awaitLiveStats(page.endpointId(),
                    s -> partnerDecoded(s, partner) > partnerAtSwitch + 60
                            && DataChannelSeen.rosterShowsRefused(s, sender.endpointId()), Duration.ofSeconds(25));
            assertThat(after).as("the page keeps decoding its partner and sees the refusal: %s",
                    f.signal.liveStats(page.endpointId())).isPresent();
            PeerStats viewerAfter = f.signal.liveStats(viewer.endpointId()).orElseThrow();
            long plainPacketsAfter = packets(fromPlain(viewerAfter, encrypting));
            long plainDecodedAfter = plainDecoded(viewerAfter, encrypting);
            E2eeEndpointStats s = f.sfu.e2eeStats().toCompletableFuture().get(30, TimeUnit.SECONDS).stream()
                    .filter(e -> e.endpointId().equals(sender.endpointId())).findFirst().orElseThrow();

            List<PeerStats> pages = Stats.peers(chromium.awaitSuccess(Duration.ofSeconds(90)));
            PeerStats plainReport = Stats.peers(plain.awaitReport(Duration.ofSeconds(60))).get(0);
            PeerStats pageFinal = PlaintextSenderTest.peer(pages, "enc-1");
            PeerStats viewerFinal = PlaintextSenderTest.peer(pages, "enc-3");
            long plainPacketsEnd = packets(fromPlain(viewerFinal, encrypting));
            log.info("requireE2ee applied after {} ms; the viewer had {} packets of plain ({} frames decoded) once the "
                            + "switch showed, {} packets ({} frames) at the end; SFU: {}", appliedMs,
                    plainPacketsAfter, plainDecodedAfter, plainPacketsEnd, plainDecoded(viewerFinal, encrypting), s);

            assertThat(appliedMs).as("requireE2ee applied in the packet path").isLessThan(1000);
            assertThat(s.framesForwarded()).as("frames of the plaintext sender forwarded after the switch").isZero();
            assertThat(s.state()).isEqualTo(E2eeState.HELD);
            assertThat(plainPacketsEnd).as("packets of the plaintext sender the viewer got after the switch showed")
                    .isEqualTo(plainPacketsAfter);
            assertThat(plainDecoded(viewerFinal, encrypting)).isEqualTo(plainDecodedAfter);
            assertThat(DataChannelSeen.messages(plainReport, "org.conclave.media_refused")).as("the sender is told: %s",
                    plainReport.datachannel()).hasSize(1);
            for (PeerStats p : pages) {
                assertThat(DataChannelSeen.rosterShowsRefused(p, sender.endpointId())).as(p.participant()).isTrue();
            }
            assertThat(partnerDecoded(pageFinal, partner)).as("decoding goes on after the switch")
                    .isGreaterThan(partnerAtSwitch + 60);
        }
    }

    /** The page's inbound streams that are not the encrypting pages': the plaintext sender's. */
    private static List<InboundRtp> fromPlain(PeerStats page, List<String> encrypting) {
        return page.inbound().stream().filter(i -> i.streamId() != null && !encrypting.contains(i.streamId())).toList();
    }

    private static long plainDecoded(PeerStats page, List<String> encrypting) {
        return fromPlain(page, encrypting).stream().mapToLong(InboundRtp::framesDecoded).sum();
    }

    private static long partnerDecoded(PeerStats page, String partner) {
        return Stats.inbound(page, "video").stream().filter(i -> i.streamId() != null && i.streamId().equals(partner))
                .mapToLong(InboundRtp::framesDecoded).sum();
    }

    private static long packets(List<InboundRtp> in) {
        return in.stream().mapToLong(InboundRtp::packetsReceived).sum();
    }
}
