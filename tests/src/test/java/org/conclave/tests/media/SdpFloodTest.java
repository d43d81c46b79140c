package org.conclave.tests.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.conclave.sfu.config.SfuConfig;
import org.conclave.sfu.config.SignalingConfig;
import org.conclave.sfu.control.FailureReason;
import org.conclave.sfu.control.Role;
import org.conclave.sfu.control.SfuException;
import org.conclave.sfu.ops.ControlCounters;
import org.conclave.sfu.sdp.SdpLimit;
import org.conclave.tests.harness.AudioWindow;
import org.conclave.tests.harness.Latencies;
import org.junit.jupiter.api.Test;

/**
 * A connected guest renegotiates with SDP beyond the configured sfu.sdp_* limits, 50 offers a second: too long, too
 * many m-sections, too many candidates in one section. Each is refused (BAD_SDP) with a sentence naming the key,
 * counted by its limit, and changes nothing: the guest's endpoint still receives media, the others in its conference
 * keep talking and get their host's commands answered, and another conference talks and takes a new participant
 * meanwhile. Real UDP, ICE, DTLS, SRTP and SCTP. Prints the figures docs/reliability.md quotes.
 */
class SdpFloodTest {
    static final int CHARS = 16_384;
    static final int SECTIONS = 16;
    static final int ATTRIBUTES = 128;
    static final int OFFERS_PER_SECOND = 50;
    static final Duration FLOOD = Duration.ofSeconds(3);

    @Test
    void offersBeyondTheConfiguredLimitsAreRefusedNamingTheKeyWhileEveryoneElseGoesOn() throws Exception {
        SfuConfig defaults = SfuConfig.defaults();
        SignalingConfig s = defaults.signaling();
        SfuConfig config = defaults.withBindAddress("127.0.0.1").withUdpPort(0).withSignaling(new SignalingConfig(
                s.offerAnswerTimeoutMs(), s.keepAliveIntervalMs(), s.keepAliveTimeoutMs(), s.maxSendingMediaLines(),
                s.maxSimulcastLayers(), CHARS, SECTIONS, ATTRIBUTES));
        try (SfuFixture f = SfuFixture.start(config); ControlRig a = new ControlRig(f, "sdp-flood");
                ControlRig b = new ControlRig(f, "elsewhere")) {
            ControlRig.Party host = a.join("host", Role.HOST, true);
            ControlRig.Party alice = a.join("alice", Role.GUEST, true);
            ControlRig.Party mallory = a.join("mallory", Role.GUEST, false);
            ControlRig.Party bob = b.join("bob", Role.HOST, true);
            ControlRig.Party carol = b.join("carol", Role.GUEST, true);
            for (ControlRig.Party[] pair : new ControlRig.Party[][] {{alice, host}, {host, alice}, {bob, carol},
                    {carol, bob}}) {
                assertThat(ControlRig.flows(pair[0], pair[1])).as(pair[0].name() + " -> " + pair[1].name()).isTrue();
            }
            Latencies quiet = new Latencies();
            DataChannelFloodTest.probe(host, alice, quiet, System.nanoTime() + FLOOD.toNanos() / 2);

            ControlCounters counters = f.sfu.operations().counters();
            long refusedBefore = counters.sdpRefused();
            List<String> hostile = hostileOffers(mallory.peer().offer());
            Set<String> messages = ConcurrentHashMap.newKeySet();
            AtomicLong sent = new AtomicLong();
            AtomicBoolean on = new AtomicBoolean(true);
            Thread flooder = new Thread(() -> flood(f, mallory.id(), hostile, on, sent, messages), "sdp-flood");

            List<AudioWindow> audio = List.of(DataChannelFloodTest.audio(alice, host),
                    DataChannelFloodTest.audio(host, alice), DataChannelFloodTest.audio(bob, carol),
                    DataChannelFloodTest.audio(carol, bob));
            audio.forEach(AudioWindow::start);
            flooder.start();
            Latencies during = new Latencies();
            long joinStart = System.nanoTime();
            ControlRig.Party dave = b.join("dave", Role.GUEST, true);
            double joinMillis = (System.nanoTime() - joinStart) / 1e6;
            DataChannelFloodTest.probe(host, alice, during, joinStart + FLOOD.toNanos());
            audio.forEach(AudioWindow::stop);
            on.set(false);
            flooder.join(TimeUnit.SECONDS.toMillis(10));

            System.out.printf("Hostile SDP (%d offers/s for %.0f s beyond sfu.sdp_max_chars %d,"
                    + " sdp_max_media_sections %d, sdp_max_attributes_per_section %d): sent %d, refused %d"
                    + " (chars %d, m-sections %d, attributes %d); the host's command round trip quiet %s, during %s;"
                    + " audio alice->host %s, host->alice %s, in another conference bob->carol %s, carol->bob %s;"
                    + " a join into the other conference during it %.0f ms%n",
                    OFFERS_PER_SECOND, FLOOD.toNanos() / 1e9, CHARS, SECTIONS, ATTRIBUTES, sent.get(),
                    counters.sdpRefused() - refusedBefore, counters.sdpRefused(SdpLimit.SDP_MAX_CHARS),
                    counters.sdpRefused(SdpLimit.SDP_MAX_MEDIA_SECTIONS),
                    counters.sdpRefused(SdpLimit.SDP_MAX_ATTRIBUTES_PER_SECTION), quiet, during, audio.get(0),
                    audio.get(1), audio.get(2), audio.get(3), joinMillis);

            assertThat(sent.get()).as("hostile offers sent").isGreaterThanOrEqualTo(hostile.size());
            assertThat(counters.sdpRefused() - refusedBefore).as("every hostile offer refused and counted")
                    .isEqualTo(sent.get());
            for (SdpLimit limit : List.of(SdpLimit.SDP_MAX_CHARS, SdpLimit.SDP_MAX_MEDIA_SECTIONS,
                    SdpLimit.SDP_MAX_ATTRIBUTES_PER_SECTION)) {
                assertThat(counters.sdpRefused(limit)).as("refused by " + limit.key()).isPositive();
                assertThat(messages).as("the refusals' sentences").anyMatch(m -> m.contains("sfu." + limit.key()));
            }
            assertThat(messages).allMatch(m -> m.contains("ask the server's operator to raise it"));
            for (int i = 0; i < audio.size(); i++) {
                assertThat(audio.get(i).lossRatio()).as("audio window " + i + " during the flood (alice->host,"
                        + " host->alice, bob->carol, carol->bob)").isLessThan(0.02);
            }
            assertThat(during.percentile(50)).as("host command round trip during the flood (p50 ms)")
                    .isLessThan(Math.max(250, 5 * quiet.percentile(50)));
            assertThat(ControlRig.flows(dave, bob)).as("the participant who joined during the flood talks").isTrue();
            // Nothing changed for the flooder either: its endpoint still receives the conference.
            assertThat(ControlRig.flows(host, mallory)).as("the host's audio at the flooder").isTrue();
            assertThat(a.endpointCount()).isEqualTo(6);
            assertThat(f.sfu.packetStats().internalErrors()).isZero();
        }
    }

    /** The guest's own offer made too long, given too many m-sections, given too many candidates in its last one. */
    private static List<String> hostileOffers(String offer) {
        String candidate = "a=candidate:1 1 udp 2130706431 10.0.0.1 9 typ host\r\n";
        return List.of(offer + "a=x-padding:" + "p".repeat(10 * CHARS) + "\r\n",
                offer + "m=audio 0 UDP/TLS/RTP/SAVPF 0\r\na=inactive\r\n".repeat(SECTIONS),
                offer + candidate.repeat(ATTRIBUTES));
    }

    /** The hostile offers in turn, {@link #OFFERS_PER_SECOND}, each awaited; the refusals' sentences collected. */
    private static void flood(SfuFixture f, String endpointId, List<String> hostile, AtomicBoolean on, AtomicLong sent,
            Set<String> messages) {
        long next = System.nanoTime();
        while (on.get()) {
            String sdp = hostile.get((int) (sent.getAndIncrement() % hostile.size()));
            try {
                f.sfu.control().applyOffer(endpointId, sdp).toCompletableFuture().join();
                messages.add("accepted: an offer beyond the limits was answered");
            } catch (CompletionException e) {
                if (e.getCause() instanceof SfuException x && x.reason() == FailureReason.BAD_SDP) {
                    messages.add(x.getMessage());
                } else {
                    messages.add("failed otherwise: " + e.getCause());
                }
            }
            next += TimeUnit.SECONDS.toNanos(1) / OFFERS_PER_SECOND;
            LockSupport.parkNanos(Math.max(0, next - System.nanoTime())); // the flood's pace, not a wait for an event
        }
    }
}
