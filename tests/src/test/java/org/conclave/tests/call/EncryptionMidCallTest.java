package org.conclave.tests.call;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.conclave.tests.e2ee.DataChannelSeen;
import org.conclave.tests.harness.AllocatedEndpoint;
import org.conclave.tests.harness.InboundRtp;
import org.conclave.tests.harness.PeerCommand;
import org.conclave.tests.harness.PeerProcess;
import org.conclave.tests.harness.PeerStats;
import org.conclave.tests.harness.Stats;
import org.conclave.tests.harness.TestPaths;
import org.conclave.tests.homeserver.ScriptedClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issue 12, "what it must show" 4, through Matrix: four users call the bot about an unencrypted conference room —
 * two Chromium pages that encrypt, a page that decrypts nothing (it decodes whatever plaintext reaches it) and an
 * aiortc client that does not encrypt (noisy video). The page decodes the aiortc video. Then the room's owner sends
 * {@code m.room.encryption}: once the bot says the room is now encrypted, the page gets no further packet of the
 * plaintext sender, the sender is told (data channel and a notice), everyone sees it in the roster, and the encrypting
 * pages keep decoding each other.
 */
class EncryptionMidCallTest {
    private static final Logger log = LoggerFactory.getLogger(EncryptionMidCallTest.class);
    private static final long DURATION_MS = 45_000;
    private static final Duration PEER_TIMEOUT = Duration.ofSeconds(120);

    @TempDir
    Path dir;

    @Test
    void anEncryptionEventStopsPlaintextAtOnce() throws Exception {
        try (CallRig rig = CallRig.start(dir)) {
            ScriptedClient alice = rig.user("alice");
            ScriptedClient bob = rig.user("bob");
            ScriptedClient dave = rig.user("dave");
            ScriptedClient carol = rig.user("carol");
            String room = rig.conferenceRoom(alice, bob, dave, carol);
            rig.bridge.participant("enc-1", alice);
            rig.bridge.participant("enc-2", bob);
            rig.bridge.participant("enc-3", dave);
            rig.bridge.participant("plain", carol);
            try (PeerProcess chromium = PeerProcess.start("chromium", PeerCommand.chromium(3)
                            .signal(rig.signal).conference(room).participant("enc").durationMs(DURATION_MS).video()
                            .audio().arg("--query", "e2ee=encrypt&datachannel=1&pingSizes=100&statsIntervalMs=500",
                                    "--page-query", "3:e2ee=&video=0&audio=0", "--context-per-page").command(),
                            TestPaths.jsDir());
                    PeerProcess plain = PeerCommand.aiortc().signal(rig.signal).conference(room).participant("plain")
                            .durationMs(DURATION_MS).video().audio()
                            .arg("--noise-video", "--datachannel", "--ping-sizes", "100").start()) {
                AllocatedEndpoint page = rig.signal.awaitEndpoint("enc-1", PEER_TIMEOUT).orElseThrow();
                AllocatedEndpoint other = rig.signal.awaitEndpoint("enc-2", PEER_TIMEOUT).orElseThrow();
                AllocatedEndpoint viewer = rig.signal.awaitEndpoint("enc-3", PEER_TIMEOUT).orElseThrow();
                List<String> encrypting = List.of(ownStream(rig, page), ownStream(rig, other));
                assertThat(rig.signal.awaitLiveStats(viewer.endpointId(), s -> plainDecoded(s, encrypting) > 20,
                        Duration.ofSeconds(60))).as("the viewer decodes the plaintext sender first: %s",
                        rig.signal.liveStats(viewer.endpointId())).isPresent();
                long partnerBefore = decoded(rig.signal.liveStats(page.endpointId()).orElseThrow(), encrypting.get(1));

                long sent = System.nanoTime();
                alice.sendState(room, "m.room.encryption", "",
                        new JsonObject().put("algorithm", "m.megolm.v1.aes-sha2"));
                JsonObject said = rig.awaitBotEvent(room, "m.room.message",
                        e -> e.getJsonObject("content").getString("body", "").contains("now end-to-end encrypted"));
                long saidMs = (System.nanoTime() - sent) / 1_000_000;
                // From the bot's word on (it speaks after the SFU applied the switch), nothing of the sender goes on.
                PeerStats atSwitch = rig.signal.liveStats(viewer.endpointId()).orElseThrow();
                Optional<PeerStats> later = rig.signal.awaitLiveStats(page.endpointId(),
                        s -> decoded(s, encrypting.get(1)) > partnerBefore + 90
                                && DataChannelSeen.rosterShowsRefused(s, null), Duration.ofSeconds(30));
                assertThat(later).as("the page goes on decoding and sees the refusal: %s",
                        rig.signal.liveStats(page.endpointId())).isPresent();
                PeerStats viewerLater = rig.signal.liveStats(viewer.endpointId()).orElseThrow();
                long packetsLater = packets(viewerLater, encrypting);

                List<PeerStats> pages = Stats.peers(chromium.awaitSuccess(PEER_TIMEOUT));
                PeerStats plainReport = Stats.peers(plain.awaitReport(PEER_TIMEOUT)).get(0);
                PeerStats viewerEnd = pages.stream().filter(p -> p.participant().equals("enc-3")).findFirst()
                        .orElseThrow();
                log.info("the bot said the room is encrypted {} ms after the event was sent; the viewer had {} packets "
                                + "({} frames) of plain then, {} a few seconds later, {} ({} frames) at the end", saidMs,
                        packets(atSwitch, encrypting), plainDecoded(atSwitch, encrypting), packetsLater,
                        packets(viewerEnd, encrypting), plainDecoded(viewerEnd, encrypting));
                assertThat(packets(viewerEnd, encrypting)).as("packets of the plaintext sender after the switch")
                        .isEqualTo(packetsLater);
                assertThat(plainDecoded(viewerEnd, encrypting)).isEqualTo(plainDecoded(viewerLater, encrypting));
                assertThat(said).isNotNull();
                // The sender is told on its data channel and in words on Matrix.
                assertThat(DataChannelSeen.messages(plainReport, "org.conclave.media_refused"))
                        .as("what the plaintext sender was told: %s", plainReport.datachannel()).hasSize(1);
                String dm = rig.bridge.directRoom(carol);
                JsonObject notice = rig.hs.awaitEvent(dm, e -> rig.bot().equals(e.getString("sender"))
                        && e.getJsonObject("content").getString("body", "").contains("not encrypting"),
                        CallRig.TIMEOUT);
                assertThat(notice).as("a notice to carol").isNotNull();
                for (PeerStats p : pages) assertThat(DataChannelSeen.rosterShowsRefused(p, null)).as(p.participant()).isTrue();
            }
        }
    }

    private static String ownStream(CallRig rig, AllocatedEndpoint page) throws InterruptedException {
        return rig.signal.awaitLiveStats(page.endpointId(), s -> s.e2ee() != null
                && s.e2ee().path("streamIds").size() > 0, Duration.ofSeconds(60))
                .map(s -> s.e2ee().path("streamIds").get(0).asText()).orElseThrow();
    }

    private static List<InboundRtp> fromPlain(PeerStats page, List<String> encrypting) {
        return page.inbound().stream().filter(i -> i.streamId() != null && !encrypting.contains(i.streamId())).toList();
    }

    private static long plainDecoded(PeerStats page, List<String> encrypting) {
        return fromPlain(page, encrypting).stream().mapToLong(InboundRtp::framesDecoded).sum();
    }

    private static long packets(PeerStats page, List<String> encrypting) {
        return fromPlain(page, encrypting).stream().mapToLong(InboundRtp::packetsReceived).sum();
    }

    private static long decoded(PeerStats page, String stream) {
        return Stats.inbound(page, "video").stream().filter(i -> stream.equals(i.streamId()))
                .mapToLong(InboundRtp::framesDecoded).sum();
    }

}
