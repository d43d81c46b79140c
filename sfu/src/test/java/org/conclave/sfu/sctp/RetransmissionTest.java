package org.conclave.sfu.sctp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.conclave.sfu.sctp.SctpAssociation.State;
import org.conclave.sfu.sctp.chunk.DataChunk;
import org.conclave.sfu.sctp.chunk.ForwardTsnChunk;
import org.conclave.sfu.sctp.chunk.HeartbeatChunk;
import org.conclave.sfu.sctp.chunk.SackChunk;
import org.junit.jupiter.api.Test;

/**
 * Loss repair and partial reliability: abandoning by retransmission count or lifetime with FORWARD-TSN, T3 backoff,
 * fast retransmit, heartbeats and giving up on a silent peer.
 */
class RetransmissionTest {

    @Test
    void maxRetransmitsZeroSkipsLostOrderedMessages() {
        Pair pair = new Pair().established();
        DataChannel[] ch = pair.serverChannel("pr", ChannelOptions.reliable().withMaxRetransmits(0));
        pair.server.drop = p -> Pair.carries(p, "lost");
        ch[0].send("first");
        ch[0].send("lost");
        ch[0].send("lost");
        ch[0].send("third");
        assertThat(pair.runUntil(() -> pair.client.messages.size() == 2, 10_000)).isTrue();
        pair.runFor(2_000);
        assertThat(pair.client.texts()).containsExactly("first", "third");
        assertThat(pair.server.sentChunks(ForwardTsnChunk.class)).isNotEmpty();
        assertThat(pair.server.sentChunks(DataChunk.class).stream().filter(d -> Pair.text(d).equals("lost")))
                .hasSize(2);
        assertThat(pair.server.sctp.tcb().sender.outstandingChunks()).isZero();
        ch[0].send("later");
        assertThat(pair.runUntil(() -> pair.client.messages.size() == 3, 5_000)).isTrue();
    }

    @Test
    void maxRetransmitsZeroSkipsLostUnorderedFragmentsOfALargeMessage() {
        Pair pair = new Pair().established();
        DataChannel[] ch = pair.serverChannel("pru", ChannelOptions.reliable().unordered().withMaxRetransmits(0));
        int[] seen = {0};
        pair.server.drop = p -> p.chunks().stream().anyMatch(c -> c instanceof DataChunk d && d.payload().length > 1000
                && ++seen[0] == 3); // the third fragment of the big message
        byte[] big = new byte[10_000];
        ch[0].send(big);
        ch[0].send("small");
        pair.runFor(5_000);
        assertThat(pair.client.texts()).containsExactly("small");
        assertThat(pair.client.sctp.bufferedReceiveBytes()).isZero(); // the orphaned fragments were dropped
        assertThat(pair.server.sctp.tcb().sender.outstandingChunks()).isZero();
    }

    @Test
    void forwardTsnIsNotResentOnEverySack() {
        Pair pair = new Pair().established();
        DataChannel[] ch = pair.serverChannel("pr", ChannelOptions.reliable().unordered().withMaxRetransmits(0));
        pair.server.drop = p -> Pair.carries(p, "lost");
        pair.server.strip = c -> c instanceof ForwardTsnChunk;
        ch[0].send("lost");
        for (int i = 0; i < 20; i++) ch[0].send("m" + i + "x".repeat(1000)); // one per packet: a SACK each
        int sacksBefore = pair.client.sentChunks(SackChunk.class).size();
        pair.deliver(); // fast retransmit abandons "lost"; no time passes
        assertThat(pair.client.messages).hasSizeGreaterThan(10);
        assertThat(pair.client.sentChunks(SackChunk.class).size() - sacksBefore).isGreaterThan(8);
        assertThat(pair.server.sentChunks(ForwardTsnChunk.class)).hasSize(1); // not one per SACK
        pair.server.strip = c -> false;
        assertThat(pair.runUntil(() -> pair.server.sctp.tcb().sender.outstandingChunks() == 0, 5_000)).isTrue();
        assertThat(pair.client.messages).hasSize(20);
        assertThat(pair.server.sentChunks(ForwardTsnChunk.class)).hasSizeBetween(2, 3);
    }

    @Test
    void maxLifetimeAbandonsExpiredMessages() {
        Pair pair = new Pair().established();
        DataChannel[] ch = pair.serverChannel("timed", ChannelOptions.reliable().withMaxLifetimeMillis(100));
        pair.server.drop = p -> Pair.carries(p, "stale");
        ch[0].send("stale");
        ch[0].send("fresh");
        pair.runFor(3_000);
        assertThat(pair.client.texts()).containsExactly("fresh");
        assertThat(pair.server.sentChunks(ForwardTsnChunk.class)).isNotEmpty();
        assertThat(pair.server.sctp.tcb().sender.outstandingChunks()).isZero();
    }

    @Test
    void lostReliableMessageIsRetransmittedWithBackoff() {
        Pair pair = new Pair().established();
        DataChannel[] ch = pair.serverChannel("r", ChannelOptions.reliable());
        int[] drops = {0};
        pair.server.drop = p -> Pair.carries(p, "persist") && drops[0]++ < 3;
        ch[0].send("persist");
        assertThat(pair.runUntil(() -> pair.client.messages.size() == 1, 30_000)).isTrue();
        List<Long> times = pair.server.sent.stream().filter(s -> Pair.carries(s.packet(), "persist"))
                .map(Pair.Sent::at).toList();
        assertThat(times).hasSize(4);
        long first = times.get(1) - times.get(0);
        assertThat(first).isGreaterThanOrEqualTo(RtoEstimator.MIN_NANOS);
        assertThat(times.get(2) - times.get(1)).isEqualTo(2 * first);
        assertThat(times.get(3) - times.get(2)).isEqualTo(4 * first);
        assertThat(pair.server.sctp.tcb().sender.congestion().cwnd()).isLessThan(4380); // collapsed by the timeouts
    }

    @Test
    void fastRetransmitRepairsALossBeforeTheTimerWould() {
        Pair pair = new Pair().established();
        DataChannel[] ch = pair.serverChannel("f", ChannelOptions.reliable());
        int[] drops = {0};
        pair.server.drop = p -> Pair.carries(p, "m0") && drops[0]++ == 0;
        long start = pair.clock.nanoTime();
        for (int i = 0; i < 6; i++) ch[0].send("m" + i + "-" + "x".repeat(1000));
        pair.deliver(); // no timer runs: only SACK-driven fast retransmit can repair the loss
        assertThat(pair.client.messages).hasSize(6);
        assertThat(pair.client.texts().get(0)).startsWith("m0-");
        assertThat(pair.clock.nanoTime()).isEqualTo(start);
        assertThat(pair.server.sent.stream().filter(s -> Pair.carries(s.packet(), "m0"))).hasSize(2);
    }

    @Test
    void heartbeatsWhileIdleAndDeathWhenUnanswered() {
        Pair pair = new Pair().established();
        pair.runFor(TimeUnit.NANOSECONDS.toMillis(Heartbeat.INTERVAL_NANOS) + 1_000);
        assertThat(pair.server.sentChunks(HeartbeatChunk.class).stream().filter(h -> !h.ack())).isNotEmpty();
        assertThat(pair.client.sentChunks(HeartbeatChunk.class).stream().filter(HeartbeatChunk::ack)).isNotEmpty();
        assertThat(pair.server.sctp.tcb().rto.srtt()).isGreaterThanOrEqualTo(0);
        assertThat(pair.bothEstablished()).isTrue();

        pair.client.drop = p -> true;
        assertThat(pair.runUntil(() -> pair.server.sctp.state() == State.TERMINATED, 3_600_000)).isTrue();
        assertThat(pair.server.downReasons).containsExactly("peer unreachable: too many retransmissions");
        assertThat(pair.server.sentChunks(HeartbeatChunk.class).stream().filter(h -> !h.ack()).count())
                .isGreaterThan(Tcb.MAX_ASSOCIATION_RETRANSMITS);
    }
}
