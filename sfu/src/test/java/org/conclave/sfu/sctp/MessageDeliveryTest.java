package org.conclave.sfu.sctp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.conclave.sfu.sctp.SctpAssociation.State;
import org.conclave.sfu.sctp.chunk.DataChunk;
import org.conclave.sfu.sctp.chunk.SackChunk;
import org.conclave.sfu.sctp.dcep.ChannelType;
import org.conclave.sfu.sctp.dcep.Ppid;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Data channels and messages end to end: DCEP for every channel type, reliable ordered and unordered delivery through
 * reordering, loss and duplication, TSN wrap-around, size and buffer limits, delayed SACKs.
 */
class MessageDeliveryTest {

    @ParameterizedTest
    @EnumSource(ChannelType.class)
    void serverOpensEveryChannelType(ChannelType type) {
        Pair pair = new Pair().established();
        ChannelOptions o = options(type, 3, 250);
        DataChannel[] ch = pair.serverChannel("lbl-" + type, o.withProtocol("proto").withPriority(512));
        assertThat(ch[0].id() % 2).isEqualTo(1); // the DTLS server uses odd ids
        assertThat(pair.server.opened).containsExactly(ch[0]); // on DATA_CHANNEL_ACK
        assertThat(pair.client.opened).containsExactly(ch[1]);
        assertThat(ch[1].type()).isEqualTo(type);
        assertThat(ch[1].label()).isEqualTo("lbl-" + type);
        assertThat(ch[1].protocol()).isEqualTo("proto");
        assertThat(ch[1].priority()).isEqualTo(512);
        assertThat(ch[1].maxRetransmits()).isEqualTo(ch[0].maxRetransmits());
        assertThat(ch[1].maxLifetimeMillis()).isEqualTo(ch[0].maxLifetimeMillis());
        assertThat(ch[1].openedLocally()).isFalse();
        assertThat(ch[1].send("hi")).isTrue();
        pair.deliver();
        assertThat(pair.server.texts()).containsExactly("hi");
    }

    @ParameterizedTest
    @EnumSource(ChannelType.class)
    void clientOpensEveryChannelType(ChannelType type) {
        Pair pair = new Pair().established();
        DataChannel c = pair.client.sctp.open("from-client", options(type, 0, 1000));
        assertThat(c.id() % 2).isZero(); // the DTLS client uses even ids
        assertThat(c.state()).isEqualTo(DataChannel.State.CONNECTING);
        assertThat(c.send("early")).isTrue(); // allowed before the ACK, sent ordered
        pair.deliver();
        assertThat(c.state()).isEqualTo(DataChannel.State.OPEN);
        DataChannel s = pair.server.sctp.channel(c.id());
        assertThat(s.type()).isEqualTo(type);
        assertThat(pair.server.opened).containsExactly(s);
        assertThat(pair.server.texts()).containsExactly("early");
    }

    @Test
    void peerOpeningOnOurParityIsTolerated() {
        Pair pair = new Pair().established();
        byte[] open = new org.conclave.sfu.sctp.dcep.DcepMessage.Open(ChannelType.RELIABLE, 256, 0, "aiortc-style", "")
                .encode();
        assertThat(pair.client.sctp.sendUser(1, Ppid.DCEP, open, false, -1, -1)).isTrue(); // odd, as aiortc 1.4 does
        pair.deliver();
        assertThat(pair.server.opened).extracting(DataChannel::id).containsExactly(1);
        // ours are allocated top-down, far from a bottom-up allocator of the same parity
        assertThat(pair.server.sctp.open("ours", ChannelOptions.reliable()).id()).isEqualTo(SctpAssociation.MAX_STREAMS - 1);
        assertThat(pair.server.sctp.open("ours2", ChannelOptions.reliable()).id()).isEqualTo(SctpAssociation.MAX_STREAMS - 3);
        assertThat(pair.client.sctp.open("even", ChannelOptions.reliable()).id()).isEqualTo(SctpAssociation.MAX_STREAMS - 2);
    }

    @Test
    void reliableOrderedSmallAndLargeMessages() {
        Pair pair = new Pair().established();
        DataChannel[] ch = pair.serverChannel("chat", ChannelOptions.reliable());
        byte[] big = new byte[200 * 1024];
        new Random(7).nextBytes(big);
        for (int i = 0; i < 10; i++) assertThat(ch[0].send("m" + i)).isTrue();
        assertThat(ch[0].send(big)).isTrue();
        assertThat(ch[0].send("")).isTrue();
        assertThat(ch[0].send(new byte[0])).isTrue();
        assertThat(ch[0].send("after")).isTrue();
        assertThat(pair.runUntil(() -> pair.client.messages.size() == 14, 10_000)).isTrue();
        List<Pair.Received> got = pair.client.messages;
        for (int i = 0; i < 10; i++) assertThat(got.get(i).text()).isEqualTo("m" + i);
        assertThat(got.get(10).data()).isEqualTo(big);
        assertThat(got.get(10).binary()).isTrue();
        assertThat(got.get(11).data()).isEmpty();
        assertThat(got.get(11).binary()).isFalse();
        assertThat(got.get(12).data()).isEmpty();
        assertThat(got.get(12).binary()).isTrue();
        assertThat(got.get(13).text()).isEqualTo("after");
        // the 200 KB message travelled in MTU-sized fragments
        List<DataChunk> data = pair.server.sentChunks(DataChunk.class);
        assertThat(data.size()).isGreaterThan(big.length / 1200);
        assertThat(pair.server.sent).allSatisfy(s -> assertThat(s.packet().encode().length).isLessThanOrEqualTo(1200));
        // and back from the client
        assertThat(ch[1].send(big)).isTrue();
        assertThat(pair.runUntil(() -> pair.server.messages.size() == 1, 10_000)).isTrue();
        assertThat(pair.server.messages.get(0).data()).isEqualTo(big);
        assertThat(pair.server.sctp.bufferedSendBytes()).isZero();
        assertThat(pair.client.sctp.bufferedReceiveBytes()).isZero();
    }

    @Test
    void tsnsAndRequestSequencesWrapAround() {
        Pair pair = new Pair(SctpSettings.defaults(true), SctpSettings.defaults(false), nearWrap(), nearWrap())
                .established();
        DataChannel[] ch = pair.serverChannel("wrap", ChannelOptions.reliable());
        assertThat(pair.server.sentChunks(DataChunk.class).get(0).tsn()).isEqualTo(-3);
        byte[] big = new byte[30_000];
        for (int i = 0; i < 10; i++) {
            ch[0].send("s" + i);
            ch[1].send("c" + i);
        }
        ch[0].send(big);
        assertThat(pair.runUntil(() -> pair.client.messages.size() == 11 && pair.server.messages.size() == 10, 5_000))
                .isTrue();
        assertThat(pair.client.texts().subList(0, 10)).containsExactlyElementsOf(
                IntStream.range(0, 10).mapToObj(i -> "s" + i).toList());
        assertThat(pair.server.sentChunks(DataChunk.class).stream().mapToInt(DataChunk::tsn)).contains(-1, 0, 1);
        ch[1].close(); // reset request sequence numbers start at the initial TSN too
        assertThat(pair.runUntil(() -> pair.server.closed.size() == 1 && pair.client.closed.size() == 1, 5_000))
                .isTrue();
    }

    private static Random nearWrap() {
        return new Random(3) {
            private int calls;

            @Override
            public int nextInt() {
                return ++calls % 2 == 0 ? -3 : super.nextInt();
            }
        };
    }

    @Test
    void unorderedMessagesAllArriveUnderReordering() {
        Pair pair = new Pair().established();
        DataChannel[] ch = pair.serverChannel("u", ChannelOptions.reliable().unordered());
        pair.server.reorder = true;
        for (int i = 0; i < 50; i++) assertThat(ch[0].send("u" + i)).isTrue();
        assertThat(pair.runUntil(() -> pair.client.messages.size() == 50, 10_000)).isTrue();
        assertThat(new HashSet<>(pair.client.texts())).isEqualTo(
                new HashSet<>(IntStream.range(0, 50).mapToObj(i -> "u" + i).toList()));
        assertThat(pair.server.sentChunks(DataChunk.class).stream().filter(DataChunk::unordered)).isNotEmpty();
    }

    @Test
    void lossyDuplicatingReorderingLinkDeliversEverythingOnceInOrder() {
        Pair pair = new Pair().established();
        DataChannel[] ch = pair.serverChannel("x", ChannelOptions.reliable());
        for (Pair.Peer p : List.of(pair.server, pair.client)) {
            p.lossRate = 0.1;
            p.duplicateRate = 0.05;
            p.reorder = true;
        }
        List<String> expected = new ArrayList<>();
        byte[] pad = new byte[700];
        for (int i = 0; i < 200; i++) {
            String m = "msg-" + i + new String(pad, StandardCharsets.ISO_8859_1).substring(0, i * 7 % 700);
            expected.add(m);
            assertThat(ch[0].send(m)).isTrue();
            assertThat(ch[1].send(m)).isTrue();
        }
        assertThat(pair.runUntil(() -> pair.client.messages.size() == 200 && pair.server.messages.size() == 200,
                600_000)).isTrue();
        assertThat(pair.client.texts()).isEqualTo(expected);
        assertThat(pair.server.texts()).isEqualTo(expected);
        assertThat(pair.runUntil(() -> pair.server.sctp.bufferedSendBytes() == 0
                && pair.client.sctp.bufferedSendBytes() == 0, 60_000)).isTrue();
    }

    @Test
    void deprecatedAndUnknownPpidsAreRejectedCleanly() {
        Pair pair = new Pair().established();
        DataChannel[] ch = pair.serverChannel("p", ChannelOptions.reliable());
        for (int ppid : new int[] {Ppid.STRING_PARTIAL, Ppid.BINARY_PARTIAL, 99}) {
            assertThat(pair.client.sctp.sendUser(ch[1].id(), ppid, new byte[] {1}, false, -1, -1)).isTrue();
        }
        assertThat(pair.client.sctp.sendUser(ch[1].id(), Ppid.DCEP, new byte[] {9}, false, -1, -1)).isTrue();
        assertThat(pair.client.sctp.sendUser(41, Ppid.STRING, new byte[] {1}, false, -1, -1)).isTrue(); // no channel
        ch[1].send("fine");
        pair.deliver();
        assertThat(pair.server.sctp.rejectedMessages()).isEqualTo(5);
        assertThat(pair.server.texts()).containsExactly("fine");
        assertThat(pair.server.sctp.state()).isEqualTo(State.ESTABLISHED);
    }

    @Test
    void messageSizeLimitsAreEnforcedBothWays() {
        SctpSettings server = SctpSettings.defaults(true);
        SctpSettings client = SctpSettings.defaults(false).withMaxSendMessageSize(400_000);
        Pair pair = new Pair(server, client).established();
        DataChannel[] ch = pair.serverChannel("big", ChannelOptions.reliable());
        assertThat(ch[0].send(new byte[SctpSettings.DEFAULT_MAX_MESSAGE_SIZE + 1])).isFalse();
        assertThat(ch[0].send(new byte[SctpSettings.DEFAULT_MAX_MESSAGE_SIZE])).isTrue();
        assertThat(ch[1].send(new byte[300_000])).isTrue(); // more than the server accepts
        assertThat(pair.runUntil(() -> pair.server.sctp.state() == State.TERMINATED, 10_000)).isTrue();
        assertThat(pair.server.downReasons).singleElement().asString().contains("larger than 262144");
        assertThat(pair.client.downReasons).singleElement().asString()
                .isEqualTo("peer aborted: protocol violation: message larger than max-message-size");
    }

    @Test
    void sendBufferIsBoundedAndDrains() {
        Pair pair = new Pair().established();
        DataChannel[] ch = pair.serverChannel("flood", ChannelOptions.reliable());
        pair.server.drop = p -> true; // nothing gets acknowledged
        byte[] m = new byte[10_000];
        int accepted = 0;
        while (ch[0].send(m)) accepted++;
        assertThat((long) accepted * m.length).isLessThanOrEqualTo(DataSender.MAX_BUFFERED_BYTES);
        assertThat(pair.server.sctp.bufferedSendBytes()).isLessThanOrEqualTo(DataSender.MAX_BUFFERED_BYTES);
        assertThat(accepted).isGreaterThan(90);
        pair.server.drop = p -> false;
        int total = accepted;
        assertThat(pair.runUntil(() -> pair.client.messages.size() == total, 120_000)).isTrue();
        assertThat(ch[0].send(m)).isTrue();
    }

    @Test
    void sacksWaitForASecondPacketOr200MsUnlessThereIsAGap() {
        Pair pair = new Pair().established();
        DataChannel[] ch = pair.serverChannel("d", ChannelOptions.reliable());
        pair.runFor(1_000); // let pending delayed SACKs go out
        int sacks = pair.client.sentChunks(SackChunk.class).size();
        ch[0].send("one");
        pair.deliver();
        assertThat(pair.client.sentChunks(SackChunk.class)).hasSize(sacks); // delayed
        pair.clock.advanceMillis(199);
        pair.client.sctp.onTimer(pair.clock.nanoTime());
        assertThat(pair.client.sentChunks(SackChunk.class)).hasSize(sacks);
        pair.clock.advanceMillis(1);
        pair.client.sctp.onTimer(pair.clock.nanoTime());
        assertThat(pair.client.sentChunks(SackChunk.class)).hasSize(sacks + 1); // after 200 ms

        ch[0].send("two");
        pair.deliver();
        assertThat(pair.client.sentChunks(SackChunk.class)).hasSize(sacks + 1);
        ch[0].send("three");
        pair.deliver();
        assertThat(pair.client.sentChunks(SackChunk.class)).hasSize(sacks + 2); // the second packet: at once

        pair.server.drop = p -> Pair.carries(p, "lost");
        ch[0].send("lost");
        pair.server.drop = p -> false;
        ch[0].send("x".repeat(1000));
        pair.deliver();
        List<SackChunk> all = pair.client.sentChunks(SackChunk.class);
        assertThat(all).hasSize(sacks + 3); // a gap: at once
        SackChunk gap = all.get(all.size() - 1);
        assertThat(gap.gapStarts()).containsExactly(2);
        // the message after the gap waits for its turn and shrinks the advertised window
        assertThat(gap.aRwnd()).isEqualTo(ReassemblyQueue.MAX_BUFFERED_BYTES - 1000);
        assertThat(pair.runUntil(() -> pair.client.messages.size() == 5, 5_000)).isTrue();
    }

    private static ChannelOptions options(ChannelType type, int retransmits, int lifetime) {
        ChannelOptions o = ChannelOptions.reliable();
        if (!type.ordered()) o = o.unordered();
        return switch (type.reliability()) {
            case RELIABLE -> o;
            case MAX_RETRANSMITS -> o.withMaxRetransmits(retransmits);
            case MAX_LIFETIME -> o.withMaxLifetimeMillis(lifetime);
        };
    }
}
