package org.conclave.sfu.sctp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.conclave.sfu.sctp.SctpAssociation.State;
import org.conclave.sfu.sctp.chunk.ReConfigChunk;
import org.conclave.sfu.sctp.chunk.ShutdownChunk;
import org.junit.jupiter.api.Test;

/** Ending things: stream resets closing channels, graceful shutdown after queued data, abort. */
class ClosingTest {

    @Test
    void streamResetClosesAChannelOnBothSides() {
        Pair pair = new Pair().established();
        DataChannel[] ch = pair.serverChannel("close-me", ChannelOptions.reliable());
        ch[0].send("last words");
        ch[0].close();
        assertThat(ch[0].send("too late")).isFalse();
        assertThat(pair.runUntil(() -> ch[0].state() == DataChannel.State.CLOSED
                && ch[1].state() == DataChannel.State.CLOSED, 5_000)).isTrue();
        assertThat(pair.client.texts()).containsExactly("last words");
        assertThat(pair.server.closed).containsExactly(ch[0]);
        assertThat(pair.client.closed).containsExactly(ch[1]);
        assertThat(pair.server.sctp.channelCount()).isZero();
        assertThat(pair.client.sctp.channelCount()).isZero();
        assertThat(pair.server.sentChunks(ReConfigChunk.class)).isNotEmpty();
        assertThat(pair.client.sentChunks(ReConfigChunk.class)).isNotEmpty();
        // the stream id is free again, and SSNs restart at 0 in both directions
        DataChannel[] again = pair.serverChannel("reopened", ChannelOptions.reliable());
        assertThat(again[0].id()).isEqualTo(ch[0].id());
        again[0].send("new");
        again[1].send("back");
        pair.deliver();
        assertThat(pair.client.texts()).containsExactly("last words", "new");
        assertThat(pair.server.texts()).containsExactly("back");
    }

    @Test
    void clientInitiatedCloseWithTheResetRequestLost() {
        Pair pair = new Pair().established();
        DataChannel[] ch = pair.serverChannel("c", ChannelOptions.reliable());
        int[] drops = {0};
        pair.client.drop = p -> p.chunks().stream().anyMatch(c -> c instanceof ReConfigChunk) && drops[0]++ == 0;
        ch[1].close();
        assertThat(pair.runUntil(() -> pair.server.closed.size() == 1 && pair.client.closed.size() == 1, 10_000))
                .isTrue();
        assertThat(drops[0]).isGreaterThan(1); // retransmitted
    }

    @Test
    void shutdownDeliversQueuedDataFirst() {
        Pair pair = new Pair().established();
        DataChannel[] ch = pair.serverChannel("s", ChannelOptions.reliable());
        ch[0].send(new byte[50_000]);
        pair.server.sctp.shutdown();
        assertThat(pair.server.sctp.state()).isEqualTo(State.SHUTDOWN_PENDING);
        assertThat(ch[0].send("no more")).isFalse();
        assertThat(pair.runUntil(() -> pair.server.sctp.state() == State.TERMINATED
                && pair.client.sctp.state() == State.TERMINATED, 10_000)).isTrue();
        assertThat(pair.client.messages).hasSize(1);
        assertThat(pair.server.downReasons).containsExactly("shutdown");
        assertThat(pair.client.downReasons).containsExactly("shutdown");
        assertThat(pair.server.closed).containsExactly(ch[0]);
        assertThat(pair.client.closed).containsExactly(ch[1]);
        assertThat(pair.server.sentChunks(ShutdownChunk.class)).isNotEmpty();
        assertThat(pair.server.sctp.nextTimeout()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void abortEndsBothSides() {
        Pair pair = new Pair().established();
        DataChannel[] ch = pair.serverChannel("a", ChannelOptions.reliable());
        pair.server.sctp.abort("bye");
        pair.deliver();
        assertThat(pair.server.sctp.state()).isEqualTo(State.TERMINATED);
        assertThat(pair.client.sctp.state()).isEqualTo(State.TERMINATED);
        assertThat(pair.client.downReasons).containsExactly("peer aborted: user abort: bye");
        assertThat(pair.client.closed).containsExactly(ch[1]);
        assertThat(ch[0].send("x")).isFalse();
        assertThatThrownBy(() -> pair.server.sctp.open("n", ChannelOptions.reliable()))
                .isInstanceOf(IllegalStateException.class);
    }
}
