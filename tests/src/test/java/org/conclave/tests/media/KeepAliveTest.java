package org.conclave.tests.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.conclave.sfu.config.SfuConfig;
import org.conclave.sfu.config.SignalingConfig;
import org.conclave.sfu.control.CloseCause;
import org.conclave.sfu.control.FailureReason;
import org.conclave.sfu.control.Role;
import org.conclave.tests.client.JavaPeer;
import org.junit.jupiter.api.Test;

/**
 * Issue #11: over every open data channel the SFU sends {@code m.call.ping} every keepalive_interval_ms; a client that
 * stops answering is hung up with {@code KEEP_ALIVE_TIMEOUT} keepalive_timeout_ms after the first ping it left
 * unanswered, one that answers stays, and one that never opened a data channel is never pinged (ICE consent covers
 * it). Real sockets: JavaPeers with the SFU's own SCTP as client data channels.
 */
class KeepAliveTest {
    /** Short for a test, long enough that an answering client's pong makes it on a busy 2-core machine. */
    static final int INTERVAL_MS = 400;
    static final int TIMEOUT_MS = 2_000;
    /** The SFU checks keep-alive on its 200 ms control tick. */
    static final int TICK_MS = 200;

    @Test
    void aClientThatStopsAnsweringPingsIsHungUpAndOneThatAnswersIsNot() throws Exception {
        SfuConfig config = SfuConfig.defaults().withBindAddress("127.0.0.1").withUdpPort(0).withSignaling(
                new SignalingConfig(SignalingConfig.DEFAULT_OFFER_ANSWER_TIMEOUT_MS, INTERVAL_MS, TIMEOUT_MS));
        try (SfuFixture f = SfuFixture.start(config); ControlRig rig = new ControlRig(f, "keepalive");
                JavaPeer plain = new JavaPeer()) {
            ControlRig.Party answering = rig.join("answering", Role.GUEST, false);
            ControlRig.Party hanging = rig.join("hanging", Role.GUEST, false);
            JavaRig.Member noChannel = JavaRig.join(f.sfu.control(), "keepalive", "no-channel", plain, null);
            assertThat(JavaRig.await(() -> hanging.dc().pingsAt().size() >= 2, Duration.ofSeconds(10)))
                    .as("the SFU pings an open data channel").isTrue();

            hanging.dc().answerPings(false);
            long stoppedAt = System.nanoTime();
            assertThat(JavaRig.await(() -> hanging.member().closed, Duration.ofMillis(10 * TIMEOUT_MS)))
                    .as("the client that stopped answering is hung up").isTrue();
            long hungUpAfterMs = (hanging.member().closedAtNanos - stoppedAt) / 1_000_000;
            List<Long> gaps = gaps(answering.dc().pingsAt());
            System.out.printf("KeepAliveTest: hung up %d ms after it stopped answering (interval %d ms, timeout %d ms);"
                    + " pings to the answering client every %s ms%n", hungUpAfterMs, INTERVAL_MS, TIMEOUT_MS, gaps);

            assertThat(hanging.member().failure).isEqualTo(FailureReason.KEEP_ALIVE_TIMEOUT);
            assertThat(hanging.member().closeCause).isEqualTo(CloseCause.FAILURE);
            assertThat(hanging.member().closeDetail).contains("m.call.ping");
            // Not before the timeout; at most an interval (the next ping) and a tick later, plus a loaded machine.
            assertThat(hungUpAfterMs).isBetween((long) TIMEOUT_MS, (long) INTERVAL_MS + TIMEOUT_MS + TICK_MS + 1_000);

            // The answering client and the one without a data channel stay, several timeouts on.
            assertThat(JavaRig.await(() -> answering.member().closed || noChannel.closed,
                    Duration.ofMillis(3 * TIMEOUT_MS))).as("a client that answers is never hung up: answering %s %s, "
                    + "without channel %s %s; pings to it %s ms apart", answering.member().failure,
                    answering.member().closeDetail, noChannel.failure, noChannel.closeDetail,
                    gaps(answering.dc().pingsAt())).isFalse();
            assertThat(rig.endpointCount()).isEqualTo(2);
            // Pings keep to the interval's grid: each gap is off by at most a tick, on average by much less.
            List<Long> at = answering.dc().pingsAt();
            double meanGapMs = (at.get(at.size() - 1) - at.get(0)) / 1e6 / (at.size() - 1);
            assertThat(meanGapMs).as("mean ping gap (ms) of %s", gaps).isBetween(INTERVAL_MS - 50.0, INTERVAL_MS + 50.0);
        }
    }

    private static List<Long> gaps(List<Long> at) {
        List<Long> out = new ArrayList<>();
        for (int i = 1; i < at.size(); i++) out.add((at.get(i) - at.get(i - 1)) / 1_000_000);
        return out;
    }
}
