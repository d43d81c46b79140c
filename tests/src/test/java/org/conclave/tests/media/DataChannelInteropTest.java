package org.conclave.tests.media;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.conclave.sfu.clock.NanoClock;
import org.conclave.sfu.control.AllocateRequest;
import org.conclave.sfu.control.EndpointListener;
import org.conclave.sfu.control.Role;
import org.conclave.sfu.control.SfuControl;
import org.conclave.sfu.datachannel.DataChannelListener;
import org.conclave.sfu.datachannel.DataChannelStats;
import org.conclave.sfu.datachannel.DataChannelTransport;
import org.conclave.sfu.sctp.ChannelOptions;
import org.conclave.sfu.sctp.CookieSigner;
import org.conclave.sfu.sctp.DataChannel;
import org.conclave.sfu.sctp.SctpSettings;
import org.conclave.sfu.sctp.chunk.SctpPacket;
import org.conclave.tests.client.JavaPeer;
import org.conclave.tests.harness.PeerCommand;
import org.conclave.tests.harness.PeerProcess;
import org.conclave.tests.harness.PeerReport;
import org.conclave.tests.harness.PeerStats;
import org.conclave.tests.harness.TestPaths;
import org.junit.jupiter.api.Test;

/**
 * Data channels to the SFU from independently written SCTP stacks (Chromium's dcsctp, libwebrtc in Node, aiortc): a
 * reliable and an unreliable channel each, pings of several sizes (the large ones fragmented over many SCTP packets)
 * whose pongs must carry exactly the content sent. Plus a hostile client flooding garbage SCTP through DTLS.
 */
class DataChannelInteropTest {
    private static final java.util.regex.Pattern TYPE = java.util.regex.Pattern.compile("\"type\"\\s*:\\s*\"([^\"]+)\"");

    private static final long DURATION_MS = 10_000;
    private static final List<Integer> SIZES = List.of(100, 10_000, 100_000);
    /** aiortc 1.4 announces a=max-message-size:65536, so a 100 KB pong may not be sent to it. */
    private static final List<Integer> AIORTC_SIZES = List.of(100, 10_000, 60_000);
    private static final int FLOOD_RECORDS = 20_000;

    @Test
    void chromiumWithMediaPingsOnBothChannelsAcrossReoffers() throws Exception {
        try (SfuFixture f = SfuFixture.start();
                PeerProcess chromium = PeerProcess.start("chromium", PeerCommand.chromium(2)
                        .signal(f.signal).conference("dc").participant("chrome")
                        .durationMs(DURATION_MS).video().audio().arg("--datachannel").command(), TestPaths.jsDir())) {
            PeerReport report = chromium.awaitSuccess(Duration.ofSeconds(90));
            assertThat(report.peers()).hasSize(2);
            for (PeerStats page : report.peers()) {
                // Each page answered the SFU's re-offer for the other's media: a re-offer that dropped the data
                // channel m-line would have failed setRemoteDescription (an error in the report).
                assertThat(page.events()).as("%s got a re-offer", page.participant()).contains("offer");
                assertPongs(page, SIZES, f.sfu.conferences().dataChannels().stats().toString());
            }
            assertThat(f.sfu.packetStats().internalErrors()).isZero();
        }
    }

    @Test
    void libwebrtcWithOnlyADataChannelMLine() throws Exception {
        Run peer = runAlone(PeerCommand.wrtc().arg("--datachannel-only"), "wrtc", TestPaths.jsDir());
        assertThat(peer.stats.inbound()).isEmpty();
        assertPongs(peer.stats, SIZES, peer.sfu);
    }

    @Test
    void aiortcWithAudioAndData() throws Exception {
        Run peer = runAlone(PeerCommand.aiortc().audio().arg("--datachannel", "--ping-sizes", "100,10000,60000"),
                "aiortc", TestPaths.pyDir());
        assertPongs(peer.stats, AIORTC_SIZES, peer.sfu);
    }

    @Test
    void aGarbageSctpFloodLeavesTheEndpointAliveWithBoundedBacklog() throws Exception {
        ScheduledExecutorService clientSctp = Executors.newSingleThreadScheduledExecutor();
        try (SfuFixture f = SfuFixture.start(); JavaPeer peer = new JavaPeer()) {
            Map<String, String> pongs = new ConcurrentHashMap<>();
            DataChannelTransport[] client = new DataChannelTransport[1];
            peer.applicationData = (b, off, len) -> client[0].receive(b, off, len);
            client[0] = new DataChannelTransport("client", SctpSettings.defaults(false), CookieSigner.random(),
                    NanoClock.SYSTEM, clientSctp, peer::sendApplicationData, new DataChannelListener() {
                        @Override
                        public void onTextMessage(String endpointId, DataChannel channel, String text) {
                            pongs.put(text, text);
                        }
                    }, new DataChannelStats());
            SfuControl control = f.sfu.control();
            String id = control.allocate(new AllocateRequest("flood", "hostile", Role.GUEST), new EndpointListener() {
                @Override
                public void onOffer(String endpointId, String sdpOffer) {
                    control.applyAnswer(endpointId, peer.answerTo(sdpOffer));
                }
            }).toCompletableFuture().get(5, TimeUnit.SECONDS).endpointId();
            String answer = control.applyOffer(id, peer.offer()).toCompletableFuture().get(5, TimeUnit.SECONDS);
            assertThat(answer).contains("m=application", "a=sctp-port:5000");
            peer.connect(answer);
            client[0].start(true);
            await(() -> client[0].established().join());
            DataChannel channel = client[0].open("control", ChannelOptions.reliable()).get(5, TimeUnit.SECONDS);
            String before = "{\"type\":\"m.call.pong\",\"content\":{\"round\":\"before\"}}";
            client[0].send(channel, before.replace("pong", "ping"));
            await(() -> pongs.containsKey(before));

            DataChannelStats sfu = f.sfu.conferences().dataChannels().stats();
            long received = sfu.packetsReceived();
            Random random = new Random(7);
            for (int i = 0; i < FLOOD_RECORDS; i++) {
                byte[] junk = new byte[1 + random.nextInt(1100)];
                random.nextBytes(junk);
                if (i % 2 == 0 && junk.length >= SctpPacket.HEADER_LENGTH) {
                    // Right ports and checksum, random tag and chunks: parsed, then dropped by the state machine.
                    junk[0] = 0x13;
                    junk[1] = (byte) 0x88;
                    junk[2] = 0x13;
                    junk[3] = (byte) 0x88;
                    SctpPacket.seal(junk, 0, junk.length);
                }
                peer.sendApplicationData(junk, 0, junk.length);
            }
            await(() -> sfu.packetsReceived() - received > FLOOD_RECORDS / 10);
            assertThat(sfu.backlogHighWater()).isLessThanOrEqualTo(DataChannelTransport.MAX_BACKLOG_PACKETS);
            assertThat(sfu.malformedPackets()).as("garbage rejected: %s", sfu).isPositive();

            // Still alive: the endpoint exists and its channel still answers.
            assertThat(f.sfu.conferences().endpointCount().toCompletableFuture().get(5, TimeUnit.SECONDS)).isEqualTo(1);
            String after = "{\"type\":\"m.call.pong\",\"content\":{\"round\":\"after\"}}";
            client[0].send(channel, after.replace("pong", "ping"));
            await(() -> pongs.containsKey(after));
            assertThat(f.sfu.packetStats().internalErrors()).isZero();
        } finally {
            clientSctp.shutdownNow();
        }
    }

    /** One peer's report and the SFU's data channel counters (which tell which direction lost a message). */
    private record Run(PeerStats stats, String sfu) {}

    private static Run runAlone(PeerCommand command, String name, Path dir) throws Exception {
        try (SfuFixture f = SfuFixture.start();
                PeerProcess peer = PeerProcess.start(name, command.signal(f.signal).conference("dc-" + name)
                        .participant(name).durationMs(DURATION_MS).command(), dir)) {
            PeerReport report = peer.awaitSuccess(Duration.ofSeconds(90));
            assertThat(f.sfu.packetStats().internalErrors()).isZero();
            assertThat(f.sfu.conferences().dataChannels().stats().listenerErrors()).isZero();
            return new Run(report.peers().get(0), f.sfu.conferences().dataChannels().stats().toString());
        }
    }

    /** Both channels opened, and every ping's pong came back with identical content. */
    private static void assertPongs(PeerStats peer, List<Integer> sizes, String sfuStats) {
        JsonNode dc = peer.datachannel();
        assertThat(dc).as("%s reports its data channels", peer.participant()).isNotNull();
        assertThat(dc.get("errors")).as("%s data channel errors", peer.participant()).isEmpty();
        List<String> labels = new ArrayList<>();
        List<String> conference = new ArrayList<>();
        for (JsonNode ch : dc.get("channels")) {
            labels.add(ch.get("label").asText());
            assertThat(ch.get("opened").asBoolean()).as("%s channel %s opened", peer.participant(), ch).isTrue();
            List<Integer> ok = new ArrayList<>();
            for (JsonNode ping : ch.get("pings")) {
                if (ping.get("ok").asBoolean()) ok.add(ping.get("size").asInt());
            }
            assertThat(ok).as("%s: sizes whose pong matched on %s (SFU: %s)", peer.participant(), ch, sfuStats)
                    .containsExactlyInAnyOrderElementsOf(sizes);
            // Besides pongs only the conference-control messages the SFU sends every member (welcome, roster...).
            List<String> unexpected = new ArrayList<>();
            for (JsonNode other : ch.get("other")) {
                // The peers keep only the first 200 characters of other messages: read the type by pattern.
                java.util.regex.Matcher m = TYPE.matcher(other.asText());
                String type = m.find() ? m.group(1) : "";
                if (type.startsWith("org.conclave.") && !type.equals("org.conclave.error")) conference.add(type);
                else unexpected.add(other.asText());
            }
            assertThat(unexpected).as("%s: unexpected messages on %s", peer.participant(), ch).isEmpty();
        }
        assertThat(labels).containsExactly("reliable", "unreliable");
        assertThat(conference).as("%s: the room greeted it on its first channel", peer.participant())
                .contains("org.conclave.welcome", "org.conclave.roster");
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) throw new AssertionError("condition not met within 15 s");
            Thread.sleep(20);
        }
    }
}
