package org.conclave.tests.e2ee;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.conclave.sfu.e2ee.E2eeEndpointStats;
import org.conclave.sfu.e2ee.E2eeGuard;
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
 * Issue 12, "what it must show" 3 and 5: an aiortc client that does not encrypt, sending noisy camera video (every
 * pixel random: large key frames) and audio into an encrypted conference with two encrypting Chromium pages and a
 * third page that decrypts nothing (it would decode any plaintext that reached it). No receiver decodes (or even
 * receives) a frame of it while the encrypting pages keep decoding each other; the sender
 * gets {@code org.conclave.media_refused} on its data channel, the pages see {@code media_refused} in the roster, and
 * the SFU's counters say it is held. The suite runs one short run; {@code scripts/e2ee-campaign.sh e2e} runs
 * {@code -Dconclave.e2e.runs} runs of {@code -Dconclave.e2e.seconds} seconds (20 x 60 s).
 */
class PlaintextSenderTest {
    private static final Logger log = LoggerFactory.getLogger(PlaintextSenderTest.class);
    private static final String PLAIN = "plain";
    /** Page 3 sends nothing and has no transform: plaintext reaching it would be decoded. */
    static final String VIEWER_QUERY = "3:e2ee=&video=0&audio=0";

    @Test
    void nobodyDecodesAPlaintextSenderAndItIsTold() throws Exception {
        int runs = Integer.getInteger("conclave.e2e.runs", 1);
        int seconds = Integer.getInteger("conclave.e2e.seconds", 15);
        List<String> lines = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        for (int run = 1; run <= runs; run++) {
            String line;
            try {
                line = run(run, seconds);
            } catch (AssertionError e) {
                line = "run " + run + " FAILED: " + e.getMessage().replace('\n', ' ');
                failed.add(line);
            }
            log.info("{}", line);
            lines.add(line);
        }
        String report = String.join("\n", lines) + "\n";
        Path out = Path.of("target", "e2ee-plaintext-sender-report.txt");
        Files.createDirectories(out.getParent());
        Files.writeString(out, report);
        assertThat(failed).as("failed runs of %d", runs).isEmpty();
    }

    private static String run(int run, int seconds) throws Exception {
        String conference = "plaintext-sender-" + run;
        long durationMs = seconds * 1000L;
        long startedMs = System.currentTimeMillis();
        try (E2eeFixture f = E2eeFixture.start();
                PeerProcess chromium = f.chromium(conference, "enc", 3, durationMs,
                        "e2ee=encrypt&requireE2ee=1&datachannel=1&pingSizes=100", VIEWER_QUERY);
                PeerProcess plain = PeerCommand.aiortc().signal(f.signal).conference(conference).participant(PLAIN)
                        .durationMs(durationMs).video().audio()
                        .arg("--noise-video", "--require-e2ee", "--datachannel", "--ping-sizes", "100").start()) {
            // The SFU tells the appservice once (EndpointListener.onMediaRefused); its counters, read then.
            AllocatedEndpoint plainEndpoint = f.signal.awaitEndpoint(PLAIN, Duration.ofSeconds(60)).orElseThrow();
            Optional<SignalEvent> refused = plainEndpoint.events().await(SignalEvent.MEDIA_REFUSED,
                    Duration.ofSeconds(seconds + 30));
            assertThat(refused).as("onMediaRefused for %s", PLAIN).isPresent();
            assertThat(refused.get().detail()).isEqualTo(E2eeGuard.NOT_ENCRYPTING);
            E2eeEndpointStats held = plainStats(f, plainEndpoint);
            // And again near the end of the run (or when the sender leaves early), for the totals.
            long left = durationMs - 2000 - (System.currentTimeMillis() - startedMs);
            if (plainEndpoint.events().await(SignalEvent.CLOSED, Duration.ofMillis(Math.max(0, left))).isEmpty()) {
                held = plainStats(f, plainEndpoint);
            }
            List<PeerStats> pages = Stats.peers(chromium.awaitSuccess(Duration.ofSeconds(seconds + 90)));
            PeerStats sender = Stats.peers(plain.awaitReport(Duration.ofSeconds(30))).get(0);

            // What reached the SFU (aiortc's own stats are gone if its ICE consent lapsed under load late in a run).
            long sent = held.packetsRefused();
            StringBuilder line = new StringBuilder(String.format("run %d (%d s): %s sent %d video packets; the SFU "
                    + "got %d packets of it (audio and video)", run, seconds, PLAIN, Stats.totalPacketsSent(sender, "video"), sent));
            List<String> encrypting = List.of(E2eeReport.of(peer(pages, "enc-1")).streamIds().get(0),
                    E2eeReport.of(peer(pages, "enc-2")).streamIds().get(0));
            for (PeerStats page : pages) {
                boolean viewer = page.participant().equals("enc-3");
                String partner = encrypting.get(page.participant().equals("enc-1") ? 1 : 0);
                List<InboundRtp> fromPlain = page.inbound().stream()
                        .filter(i -> i.streamId() != null && !encrypting.contains(i.streamId())).toList();
                long decoded = fromPlain.stream().mapToLong(InboundRtp::framesDecoded).sum();
                long received = fromPlain.stream().mapToLong(InboundRtp::packetsReceived).sum();
                long partnerDecoded = Stats.inbound(page, "video").stream().filter(i -> partner.equals(i.streamId()))
                        .mapToLong(InboundRtp::framesDecoded).sum();
                line.append(String.format("; %s: from %s %d packets, %d frames decoded; from its partner %d frames",
                        page.participant(), PLAIN, received, decoded, partnerDecoded));
                assertThat(decoded).as("frames of %s decoded at %s: %s", PLAIN, page.participant(),
                        Stats.describe(page)).isZero();
                assertThat(received).as("packets of %s received at %s", PLAIN, page.participant()).isZero();
                if (!viewer) {
                    // Keeps decoding (2 fps on average even on a loaded 2-core machine; the camera sends 30).
                    assertThat(partnerDecoded).as("%s decodes the other encrypting page", page.participant())
                            .isGreaterThanOrEqualTo(seconds * 2L);
                }
                assertThat(DataChannelSeen.rosterShowsRefused(page, sender.endpointId()))
                        .as("%s sees media_refused for %s in the roster: %s", page.participant(), PLAIN,
                                page.datachannel()).isTrue();
            }
            // Last of the leak checks: a run whose sender left early (its consent lapsed) still had to leak nothing.
            assertThat(sent).as("packets of %s at the SFU: %s", PLAIN, held).isGreaterThan(seconds * 20L);
            List<JsonNode> told = DataChannelSeen.messages(sender, "org.conclave.media_refused");
            assertThat(told).as("what %s was told: %s", PLAIN, sender.datachannel()).hasSize(1);
            assertThat(told.get(0).path("content").path("error").asText()).isEqualTo(E2eeGuard.NOT_ENCRYPTING);
            E2eeEndpointStats s = held;
            line.append(String.format("; SFU: %s, %d frames (%d packets) refused, %d forwarded, %d streams held",
                    s.state(), s.framesRefused(), s.packetsRefused(), s.framesForwarded(), s.streamsHeld()));
            assertThat(s.state()).isEqualTo(E2eeState.HELD);
            assertThat(s.framesForwarded()).isZero();
            assertThat(s.holds()).isEqualTo(1);
            assertThat(s.streamsHeld()).as("audio and video").isEqualTo(2);
            return line.toString();
        }
    }

    static PeerStats peer(List<PeerStats> pages, String participant) {
        return pages.stream().filter(p -> p.participant().equals(participant)).findFirst()
                .orElseThrow(() -> new AssertionError("no report from " + participant));
    }

    private static E2eeEndpointStats plainStats(E2eeFixture f, AllocatedEndpoint sender) throws Exception {
        return f.sfu.e2eeStats().toCompletableFuture().get(30, TimeUnit.SECONDS).stream()
                .filter(s -> s.endpointId().equals(sender.endpointId())).findFirst().orElseThrow();
    }
}
