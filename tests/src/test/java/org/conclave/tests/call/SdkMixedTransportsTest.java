package org.conclave.tests.call;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.conclave.sfu.conference.ConferenceService;
import org.conclave.tests.call.SdkCaller.Media;
import org.conclave.tests.call.SdkCaller.Transport;
import org.conclave.tests.homeserver.AppservicePusher;
import org.conclave.tests.homeserver.HomeserverDouble;
import org.conclave.tests.homeserver.ToDeviceDisorder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issue 11, must-show 5, with matrix-js-sdk itself: one conference, alice calling over room events in her DM, bob and
 * carol over to-device messages ({@code opponentDeviceId}, {@code useE2eForGroupCall: false}, a GroupCall registered
 * and never entered) — bob to the focus device of the bot's call state with {@code conf_id} = its group call id (his
 * page runs the Rust crypto, as Conclave Web), carol to the bot's configured device with {@code conf_id} = the room id.
 * The homeserver double delivers bob's and carol's to-device messages to the bot out of order and twice
 * ({@link ToDeviceDisorder}): everyone still decodes everyone, and the bot handled each message once. The table of
 * {@code seq} orders and repeats is {@code SeqOrderingTest} in the appservice module.
 */
class SdkMixedTransportsTest {
    private static final Logger LOG = LoggerFactory.getLogger(SdkMixedTransportsTest.class);
    private static final Duration MEDIA_TIMEOUT = Duration.ofSeconds(60);
    private static final int FRAMES = 20;
    private static final int PACKETS = 50;
    private static final String CALL_SERVICE = "org.conclave.appservice.call.CallService";
    private static final String CALL_SESSION = "org.conclave.appservice.call.CallSession";

    @TempDir
    Path dir;

    @Test
    void roomAndToDeviceCallersDecodeEachOtherThroughReorderedAndRepeatedToDevice() throws Exception {
        try (SdkConference conf = SdkConference.start(dir, "alice");
                LogLines service = new LogLines(CALL_SERVICE, Level.DEBUG);
                LogLines sessions = new LogLines(CALL_SESSION);
                LogLines sfu = new LogLines(ConferenceService.class)) {
            SdkCaller alice = conf.join("alice", Transport.ROOM);
            SdkCaller bob = conf.join("bob", Transport.TO_DEVICE, true);
            SdkCaller carol = conf.join("carol", Transport.TO_DEVICE_ROOM_ID);
            List<SdkCaller> all = List.of(alice, bob, carol);
            Set<String> disordered = Set.of(bob.userId, carol.userId);
            HomeserverDouble hs = conf.rig.hs;
            hs.toDeviceDisorder().apply(m -> disordered.contains(m.getString("sender"))
                    && m.getString("type").startsWith("m.call."), true, true);

            // Bob's client finds the conference in the bot's call state, which a connected participant starts.
            alice.place(conf.room, Media.SMALL);
            CallState.awaitStarted(conf.rig, conf.room);
            bob.place(conf.room, Media.SMALL);
            carol.place(conf.room, Media.SMALL);

            for (SdkCaller c : all) {
                List<SdkCaller> others = all.stream().filter(o -> o != c).toList();
                JsonObject status = c.awaitMedia(others, "m.usermedia", FRAMES, PACKETS, MEDIA_TIMEOUT);
                LOG.info("[measure] {}: first decoded frame {} ms after placing the call", c,
                        SdkCaller.firstFrames(status, others));
                assertThat(status.getJsonArray("errors")).as("%s: %s", c, status.encode()).isEmpty();
                List<JsonObject> fromBot = status.getJsonArray("voip").stream().map(JsonObject.class::cast).toList();
                assertThat(fromBot).as("%s: the transport of the bot's events", c)
                        .isNotEmpty().allMatch(e -> e.getBoolean("toDevice") == c.transport.toDevice());
                assertThat(SdkCaller.voip(status, CallContent.ANSWER)).as("%s", c).hasSize(1);
            }

            // The disorder happened, and the bot took each message once, in order.
            ToDeviceDisorder disorder = hs.toDeviceDisorder();
            LOG.info("[measure] to-device to the bot: {} pairs swapped, {} messages delivered twice",
                    disorder.swapped(), disorder.repeated());
            assertThat(disorder.swapped()).isPositive();
            assertThat(disorder.repeated()).isPositive();
            hs.pusher().awaitIdle(CallRig.TIMEOUT);
            for (SdkCaller c : List.of(bob, carol)) {
                List<Long> seqs = deliveredSeqs(hs, c);
                LOG.info("[measure] seq of {}'s call messages as the bot received them: {}", c, seqs);
                assertThat(seqs).as("some delivered twice: %s", seqs).hasSizeGreaterThan(new HashSet<>(seqs).size());
                assertThat(IntStream.range(1, seqs.size()).anyMatch(i -> seqs.get(i) < seqs.get(i - 1)))
                        .as("some delivered before an earlier one: %s", seqs).isTrue();
            }
            assertThat(service.lines()).as("repeats dropped by seq").anyMatch(l -> l.startsWith("dropping a repeated"))
                    .noneMatch(l -> l.contains("gave up waiting"));
            // Nothing applied twice or out of order: the only refusals are of a slow answer's twin (see below).
            assertThat(sessions.lines()).filteredOn(l -> l.contains("refused"))
                    .allMatch(l -> l.contains("the answer to the SFU's offer was refused"));
            for (SdkCaller c : List.of(bob, carol)) {
                assertThat(hs.requests("PUT", "/sendToDevice/" + CallContent.ANSWER + "/").stream()
                        .filter(r -> r.body().contains(c.callId()))).as("one answer to %s", c).hasSize(1);
            }

            for (SdkCaller c : all) c.hangup();
            conf.rig.awaitEndpointCount(0, CallRig.TIMEOUT);
            for (SdkCaller c : all) {
                assertThat(SdkCaller.voip(c.awaitEnded(CallRig.TIMEOUT), CallContent.HANGUP)).as("%s", c).isEmpty();
            }
            // An answer is refused only when the SFU had made its offer again (the answer was slow, or held back by
            // the disorder): the client's answer to the first offer fits the second, its answer to the second finds
            // none waiting. A repeat that slipped past seq would be refused without an offer made again.
            List<SignalingSummary> summaries = SignalingSummary.of(sfu.lines());
            LOG.info("[measure] SFU: {}", summaries);
            assertThat(summaries).hasSize(all.size()).allMatch(e -> e.answersRefused() <= e.madeAgain());
        }
    }

    /** The {@code seq} of the caller's call messages in the order the bot's transactions carried them. */
    private static List<Long> deliveredSeqs(HomeserverDouble hs, SdkCaller caller) {
        List<Long> seqs = new ArrayList<>();
        for (AppservicePusher.Delivery d : hs.pusher().deliveries()) {
            if (d.status() != 200) continue;
            for (JsonObject m : d.toDevice()) {
                JsonObject content = m.getJsonObject("content");
                if (caller.userId.equals(m.getString("sender")) && caller.callId().equals(content.getString("call_id"))) {
                    seqs.add(content.getLong("seq"));
                }
            }
        }
        return seqs;
    }
}
