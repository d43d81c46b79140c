package org.conclave.tests.call;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.conclave.sfu.conference.ConferenceService;
import org.conclave.tests.call.SdkCaller.Media;
import org.conclave.tests.call.SdkCaller.Transport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The offer-ordering guarantee (docs/protocol.md, "When the SFU offers") with matrix-js-sdk itself, which as the
 * calling side ignores an offer that arrives before the answer: issue 11 saw 5 of 8 later joiners get no media at all.
 * Here joiners come one after another into a running conference of two (odd ones over room events, even ones over
 * to-device); each stays until the next one is in, so every join also meets a leave. Every joiner takes the bot's
 * answer before any negotiate, decodes everyone present, and everyone present decodes the joiner. Every SDK hangup
 * (which closes the peer connection right after sending m.call.hangup, issue 11's must-show 3) ends quietly: the bot
 * sends no m.call.hangup, and the endpoints return to 0. The suite runs 4 joiners; {@code -Dconclave.sdk.joiners=20}
 * runs the count (OfferOrderTest does 20 joins in the suite with a Java client that drops early offers,
 * HangupRaceTest 100 hangups). Logged: time to first decoded frame per joiner, the SFU's count of offers made again.
 */
class SdkLateJoinersTest {
    private static final Logger LOG = LoggerFactory.getLogger(SdkLateJoinersTest.class);
    /** 4 in the suite; {@code -Dconclave.sdk.joiners=20} for the count (~20 s a joiner on a loaded machine). */
    private static final int JOINERS = Integer.getInteger("conclave.sdk.joiners", 4);
    private static final Duration MEDIA_TIMEOUT = Duration.ofSeconds(60);
    private static final int FRAMES = 10;
    private static final int PACKETS = 25;

    @TempDir
    Path dir;

    @Test
    void sdkJoinersIntoARunningConferenceGetEveryonesMediaAndHangUpQuietly() throws Exception {
        try (SdkConference conf = SdkConference.start(dir, "alice");
                LogLines sfu = new LogLines(ConferenceService.class)) {
            SdkCaller alice = conf.join("alice", Transport.ROOM);
            SdkCaller bob = conf.join("bob", Transport.ROOM);
            alice.place(conf.room, Media.SMALL);
            bob.place(conf.room, Media.SMALL);
            alice.awaitMedia(List.of(bob), "m.usermedia", FRAMES, PACKETS, MEDIA_TIMEOUT);
            bob.awaitMedia(List.of(alice), "m.usermedia", FRAMES, PACKETS, MEDIA_TIMEOUT);

            List<Long> firstFrames = new ArrayList<>();
            SdkCaller previous = null;
            SdkCaller beforePrevious = null;
            for (int i = 1; i <= JOINERS; i++) {
                String name = "joiner" + i;
                Transport transport = i % 2 == 1 ? Transport.ROOM : Transport.TO_DEVICE;
                // Two pages take turns: a joiner logs in on the page of the one before the previous (gone by now).
                SdkCaller joiner = beforePrevious == null ? conf.join(name, transport)
                        : conf.joinOnPageOf(beforePrevious, name, transport);
                List<SdkCaller> present = new ArrayList<>(List.of(alice, bob));
                if (previous != null) present.add(previous);
                joiner.place(conf.room, Media.SMALL);

                JsonObject status = joiner.awaitMedia(present, "m.usermedia", FRAMES, PACKETS, MEDIA_TIMEOUT);
                Map<String, Integer> firsts = SdkCaller.firstFrames(status, present);
                long slowest = firsts.values().stream().mapToLong(Integer::longValue).max().orElseThrow();
                firstFrames.add(slowest);
                LOG.info("[measure] joiner {} ({}): first decoded frame per sender {} ms after placing the call", i,
                        joiner.transport, firsts);
                assertThat(SdkCaller.voip(status, CallContent.ANSWER)).as("joiner %d", i).hasSize(1);
                assertThat(SdkCaller.answerAndNegotiates(status)).as("joiner %d: no negotiate before the answer", i)
                        .first().isEqualTo(CallContent.ANSWER);
                assertThat(status.getJsonArray("errors")).as("joiner %d: %s", i, status.encode()).isEmpty();
                for (SdkCaller p : present) {
                    p.awaitMedia(List.of(joiner), "m.usermedia", FRAMES, PACKETS, MEDIA_TIMEOUT);
                }

                if (previous != null) hangUpQuietly(previous);
                beforePrevious = previous;
                previous = joiner;
            }
            for (SdkCaller c : List.of(alice, bob, previous)) hangUpQuietly(c);
            conf.rig.awaitEndpointCount(0, CallRig.TIMEOUT);
            conf.rig.hs.pusher().awaitIdle(CallRig.TIMEOUT);
            assertThat(conf.botHangups()).as("the bot's hangups").isEmpty();

            List<SignalingSummary> summaries = SignalingSummary.of(sfu.lines());
            assertThat(summaries).hasSize(JOINERS + 2);
            SignalingSummary total = SignalingSummary.total(summaries);
            LOG.info("[measure] first decoded frame of the slowest sender per joiner (ms): {}", firstFrames);
            LOG.info("[measure] SFU over {} endpoints: {} offers, {} made again, {} glares, {} answers refused",
                    summaries.size(), total.offers(), total.madeAgain(), total.glares(), total.answersRefused());
            // A slow client's answer to an offer the SFU has since made again fits the new one; its answer to the new
            // one then finds none waiting: refused, changing nothing. No other answer is refused.
            assertThat(summaries).allMatch(e -> e.answersRefused() <= e.madeAgain());
        }
    }

    /** The SDK hangs up (and closes its peer connection at once): its call ends by itself, the bot sends nothing. */
    private static void hangUpQuietly(SdkCaller caller) throws Exception {
        caller.hangup();
        JsonObject end = caller.awaitEnded(CallRig.TIMEOUT);
        String why = caller + ": " + end.encode();
        assertThat(end.getString("hangupParty")).as(why).isEqualTo("local");
        assertThat(end.getString("hangupReason")).as(why).isEqualTo("user_hangup");
        assertThat(SdkCaller.voip(end, CallContent.HANGUP)).as(why).isEmpty();
        assertThat(end.getJsonArray("errors")).as(why).isEmpty();
    }
}
