package org.conclave.sfu.sctp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.conclave.sfu.sctp.SctpAssociation.State;
import org.conclave.sfu.sctp.chunk.AbortChunk;
import org.conclave.sfu.sctp.chunk.Chunk;
import org.conclave.sfu.sctp.chunk.ChunkType;
import org.conclave.sfu.sctp.chunk.CookieEchoChunk;
import org.conclave.sfu.sctp.chunk.DataChunk;
import org.conclave.sfu.sctp.chunk.ErrorCause;
import org.conclave.sfu.sctp.chunk.ErrorChunk;
import org.conclave.sfu.sctp.chunk.ForwardTsnChunk;
import org.conclave.sfu.sctp.chunk.HeartbeatChunk;
import org.conclave.sfu.sctp.chunk.InitChunk;
import org.conclave.sfu.sctp.chunk.ReConfigChunk;
import org.conclave.sfu.sctp.chunk.SackChunk;
import org.conclave.sfu.sctp.chunk.SctpPacket;
import org.conclave.sfu.sctp.chunk.ShutdownChunk;
import org.conclave.sfu.sctp.dcep.ChannelType;
import org.conclave.sfu.sctp.dcep.Ppid;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Two associations back to back on a fake clock: handshake, data, partial reliability, resets, loss, shutdown. */
class SctpAssociationTest {

    // ------------------------------------------------------------------ handshake

    @Test
    void clientConnectsServerAnswers() {
        Pair pair = new Pair().established();
        assertThat(pair.server.ups).isEqualTo(1);
        assertThat(pair.client.ups).isEqualTo(1);
        InitChunk init = pair.client.sentChunks(InitChunk.class).get(0);
        assertThat(init.ack()).isFalse();
        assertThat(pair.client.sent.get(0).packet().verificationTag()).isZero();
        assertThat(init.outboundStreams()).isEqualTo(SctpAssociation.MAX_STREAMS);
        assertThat(init.supportsExtension(ChunkType.RE_CONFIG)).isTrue();
        assertThat(init.supportsExtension(ChunkType.FORWARD_TSN)).isTrue();
        assertThat(init.forwardTsnSupported()).isTrue();
        InitChunk initAck = pair.server.sentChunks(InitChunk.class).get(0);
        assertThat(initAck.ack()).isTrue();
        assertThat(initAck.stateCookie()).hasSize(StateCookie.LENGTH);
        assertThat(pair.server.sent.get(0).packet().verificationTag()).isEqualTo(init.initiateTag());
        assertThat(pair.client.sentChunks(CookieEchoChunk.class)).hasSize(1);
    }

    @Test
    void serverConnectsClientAnswers() {
        Pair pair = new Pair();
        pair.server.sctp.connect();
        assertThat(pair.runUntil(pair::bothEstablished, 1000)).isTrue();
        exchangeOneMessageEachWay(pair);
    }

    @Test
    void simultaneousInitsMeet() {
        Pair pair = new Pair();
        pair.server.sctp.connect();
        pair.client.sctp.connect();
        assertThat(pair.runUntil(pair::bothEstablished, 1000)).isTrue();
        assertThat(pair.server.ups).isEqualTo(1);
        assertThat(pair.client.ups).isEqualTo(1);
        // §5.2.1: each side answered the other's INIT with its own INIT's tag
        assertThat(pair.server.sentChunks(InitChunk.class).get(1).initiateTag())
                .isEqualTo(pair.server.sentChunks(InitChunk.class).get(0).initiateTag());
        exchangeOneMessageEachWay(pair);
    }

    @Test
    void initReachingAClosedPeerThatThenConnectsToo() {
        Pair pair = new Pair();
        pair.server.sctp.connect();
        byte[] init = pair.server.wire.poll();
        pair.client.sctp.receive(init, 0, init.length, pair.clock.nanoTime()); // still CLOSED: a stateless INIT-ACK
        pair.client.sctp.connect(); // its own INIT follows the INIT-ACK; the cookie then meets COOKIE-WAIT
        assertThat(pair.runUntil(pair::bothEstablished, 1000)).isTrue();
        exchangeOneMessageEachWay(pair);
    }

    @Test
    void crossingInitsWithAnInitAckOvertakingTheCookie() {
        Pair pair = new Pair();
        pair.server.sctp.connect();
        byte[] serverInit = pair.server.wire.poll();
        pair.client.sctp.receive(serverInit, 0, serverInit.length, pair.clock.nanoTime()); // stateless INIT-ACK
        pair.client.sctp.connect(); // the client's own INIT follows
        byte[] statelessAck = pair.client.wire.poll();
        byte[] clientInit = pair.client.wire.poll();
        pair.server.sctp.receive(statelessAck, 0, statelessAck.length, pair.clock.nanoTime()); // -> COOKIE-ECHO
        pair.server.sctp.receive(clientInit, 0, clientInit.length, pair.clock.nanoTime()); // -> INIT-ACK (same tag)
        byte[] cookieEcho = pair.server.wire.poll();
        byte[] initAck = pair.server.wire.poll();
        pair.client.sctp.receive(initAck, 0, initAck.length, pair.clock.nanoTime()); // client -> COOKIE-ECHOED
        pair.client.sctp.receive(cookieEcho, 0, cookieEcho.length, pair.clock.nanoTime()); // §5.2.4 A/C: dropped
        assertThat(pair.runUntil(pair::bothEstablished, 1000)).isTrue();
        exchangeOneMessageEachWay(pair);
    }

    @Test
    void handshakeSurvivesLossAndGivesUpWhenNobodyAnswers() {
        Pair pair = new Pair();
        int[] dropped = {0};
        pair.client.drop = p -> p.chunks().get(0) instanceof InitChunk && dropped[0]++ < 2;
        pair.server.drop = p -> p.chunks().get(0) instanceof InitChunk && dropped[0]++ < 4;
        pair.client.sctp.connect();
        assertThat(pair.runUntil(pair::bothEstablished, 10_000)).isTrue();

        Pair lonely = new Pair();
        lonely.server.drop = p -> true;
        lonely.client.sctp.connect();
        assertThat(lonely.runUntil(() -> lonely.client.sctp.state() == State.TERMINATED, 120_000)).isTrue();
        assertThat(lonely.client.downReasons).containsExactly("handshake timed out");
        assertThat(lonely.client.sentChunks(InitChunk.class)).hasSize(Handshake.MAX_INIT_RETRANSMITS + 1);
    }

    @Test
    void staleAndForgedCookiesAreRejected() {
        Pair pair = new Pair();
        pair.client.drop = p -> p.chunks().get(0) instanceof CookieEchoChunk;
        pair.client.sctp.connect();
        pair.deliver();
        byte[] cookie = pair.client.sentChunks(CookieEchoChunk.class).get(0).cookie();
        int vtag = pair.client.sent.get(1).packet().verificationTag();

        byte[] forged = cookie.clone();
        forged[3] ^= 1;
        deliverRaw(pair.server, vtag, new CookieEchoChunk(forged));
        assertThat(pair.server.sctp.state()).isEqualTo(State.CLOSED);
        assertThat(pair.server.sent).hasSize(1); // only the INIT-ACK: no answer to a forged cookie

        pair.clock.advanceNanos(CookieSigner.LIFETIME_NANOS + TimeUnit.SECONDS.toNanos(1));
        deliverRaw(pair.server, vtag, new CookieEchoChunk(cookie));
        assertThat(pair.server.sctp.state()).isEqualTo(State.CLOSED);
        ErrorChunk stale = pair.server.sentChunks(ErrorChunk.class).get(0);
        assertThat(stale.causes().get(0).code()).isEqualTo(ErrorCause.STALE_COOKIE);

        // the client starts over on the Stale Cookie error and succeeds
        pair.client.drop = p -> false;
        pair.client.wire.clear();
        assertThat(pair.runUntil(pair::bothEstablished, 5_000)).isTrue();
        assertThat(pair.client.sentChunks(InitChunk.class)).hasSizeGreaterThanOrEqualTo(2);
    }

    @Test
    void chromeStyleInitGetsAnInitAck() {
        Pair pair = new Pair();
        // RFC-derived INIT as Chrome (dcSCTP) sends it: ports 5000/5000, a_rwnd 131072, OS/MIS 65535,
        // Supported Extensions RE-CONFIG + FORWARD-TSN, Forward-TSN-Supported, and Zero Checksum Acceptable (RFC 9653)
        byte[] init = org.conclave.sfu.sctp.chunk.Hex.packet(0, "01 00 00 28 6b 8b 45 67 00 02 00 00 ff ff ff ff "
                + "3a 4d 26 01 80 08 00 06 82 c0 00 00 c0 00 00 04 80 01 00 08 00 00 00 01");
        pair.server.sctp.receive(init, 0, init.length, pair.clock.nanoTime());
        assertThat(pair.server.sent).hasSize(1);
        SctpPacket reply = pair.server.sent.get(0).packet();
        assertThat(reply.verificationTag()).isEqualTo(0x6b8b4567);
        InitChunk ack = (InitChunk) reply.chunks().get(0);
        assertThat(ack.ack()).isTrue();
        assertThat(ack.unrecognizedParameters()).isEmpty(); // 0x8001 is "skip silently"
        assertThat(ack.inboundStreams()).isEqualTo(SctpAssociation.MAX_STREAMS);
        assertThat(pair.server.sctp.state()).isEqualTo(State.CLOSED); // stateless until COOKIE-ECHO

        // COOKIE-ECHO with a DATA_CHANNEL_OPEN bundled behind it, on the browser's first TSN and an even stream
        byte[] open = new org.conclave.sfu.sctp.dcep.DcepMessage.Open(ChannelType.RELIABLE, 256, 0, "control", "")
                .encode();
        pair.server.receiveRaw(ack.initiateTag(), new CookieEchoChunk(ack.stateCookie()),
                new DataChunk(0x3a4d2601, 0, 0, Ppid.DCEP, false, true, true, open));
        assertThat(pair.server.sctp.state()).isEqualTo(State.ESTABLISHED);
        assertThat(pair.server.opened).extracting(DataChannel::label).containsExactly("control");
        SctpPacket answer = pair.server.sent.get(1).packet();
        assertThat(answer.verificationTag()).isEqualTo(0x6b8b4567);
        assertThat(answer.chunks()).extracting(Chunk::type)
                .containsExactly(ChunkType.COOKIE_ACK, ChunkType.SACK, ChunkType.DATA); // COOKIE-ACK leads
        SackChunk sack = (SackChunk) answer.chunks().get(1);
        assertThat(sack.cumulativeTsnAck()).isEqualTo(0x3a4d2601);
        DataChunk dcepAck = (DataChunk) answer.chunks().get(2);
        assertThat(dcepAck.ppid()).isEqualTo(Ppid.DCEP);
        assertThat(dcepAck.payload()).containsExactly(2);
        assertThat(dcepAck.tsn()).isEqualTo(ack.initialTsn());
    }

    @Test
    void initWithBadParametersIsAborted() {
        Pair pair = new Pair();
        byte[] init = new SctpPacket(5000, 5000, 0, List.of(new InitChunk(false, 77, 1500, 0, 10, 1, null, true,
                null, List.of()))).encode();
        pair.server.sctp.receive(init, 0, init.length, pair.clock.nanoTime());
        SctpPacket reply = pair.server.sent.get(0).packet();
        assertThat(reply.verificationTag()).isEqualTo(77);
        assertThat(reply.chunks().get(0)).isInstanceOf(AbortChunk.class);
        assertThat(pair.server.sctp.state()).isEqualTo(State.CLOSED);
    }

    // ------------------------------------------------------------------ DCEP and messages

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

    /** Tags from a seeded generator, and -3 as every initial TSN: TSNs wrap after three chunks. */
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

        pair.server.drop = p -> carries(p, "lost");
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

    // ------------------------------------------------------------------ partial reliability

    @Test
    void maxRetransmitsZeroSkipsLostOrderedMessages() {
        Pair pair = new Pair().established();
        DataChannel[] ch = pair.serverChannel("pr", ChannelOptions.reliable().withMaxRetransmits(0));
        pair.server.drop = p -> carries(p, "lost");
        ch[0].send("first");
        ch[0].send("lost");
        ch[0].send("lost");
        ch[0].send("third");
        assertThat(pair.runUntil(() -> pair.client.messages.size() == 2, 10_000)).isTrue();
        pair.runFor(2_000);
        assertThat(pair.client.texts()).containsExactly("first", "third");
        assertThat(pair.server.sentChunks(ForwardTsnChunk.class)).isNotEmpty();
        assertThat(pair.server.sentChunks(DataChunk.class).stream().filter(d -> text(d).equals("lost"))).hasSize(2);
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
        pair.server.drop = p -> carries(p, "lost");
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
        pair.server.drop = p -> carries(p, "stale");
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
        pair.server.drop = p -> carries(p, "persist") && drops[0]++ < 3;
        ch[0].send("persist");
        assertThat(pair.runUntil(() -> pair.client.messages.size() == 1, 30_000)).isTrue();
        List<Long> times = pair.server.sent.stream().filter(s -> carries(s.packet(), "persist"))
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
        pair.server.drop = p -> carries(p, "m0") && drops[0]++ == 0;
        long start = pair.clock.nanoTime();
        for (int i = 0; i < 6; i++) ch[0].send("m" + i + "-" + "x".repeat(1000));
        pair.deliver(); // no timer runs: only SACK-driven fast retransmit can repair the loss
        assertThat(pair.client.messages).hasSize(6);
        assertThat(pair.client.texts().get(0)).startsWith("m0-");
        assertThat(pair.clock.nanoTime()).isEqualTo(start);
        assertThat(pair.server.sent.stream().filter(s -> carries(s.packet(), "m0"))).hasSize(2);
    }

    // ------------------------------------------------------------------ closing

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

    @Test
    void protocolViolationsAbort() {
        Pair pair = new Pair().established();
        pair.server.inject(new SackChunk(pair.server.sctp.tcb().sender.lastAssignedTsn() + 100, 1000, new int[0], new int[0],
                new int[0]));
        assertThat(pair.server.sctp.state()).isEqualTo(State.TERMINATED);
        assertThat(pair.server.downReasons).containsExactly("SACK for unsent data");
        assertThat(pair.server.sentChunks(AbortChunk.class)).singleElement()
                .satisfies(a -> assertThat(a.causes().get(0).code()).isEqualTo(ErrorCause.PROTOCOL_VIOLATION));

        Pair empty = new Pair().established();
        empty.server.inject(new DataChunk(0, 0, 0, 51, false, true, true, new byte[0]));
        assertThat(empty.server.downReasons).containsExactly("DATA without user data");
    }

    @Test
    void unknownChunksAreReportedOrSkippedByTheirTypeBits() {
        Pair pair = new Pair().established();
        pair.server.inject(new org.conclave.sfu.sctp.chunk.UnknownChunk(0x40, 0, new byte[] {1}));
        pair.server.inject(new org.conclave.sfu.sctp.chunk.UnknownChunk(0x80, 0, new byte[] {1}));
        pair.server.inject(new org.conclave.sfu.sctp.chunk.UnknownChunk(0xc0 | 5, 0, new byte[0]));
        List<ErrorChunk> errors = pair.server.sentChunks(ErrorChunk.class);
        assertThat(errors).hasSize(2);
        assertThat(errors).allSatisfy(e -> assertThat(e.causes().get(0).code()).isEqualTo(ErrorCause.UNRECOGNIZED_CHUNK_TYPE));
        assertThat(pair.server.sctp.state()).isEqualTo(State.ESTABLISHED);
    }

    @Test
    void packetsWithWrongTagOrChecksumAreIgnored() {
        Pair pair = new Pair().established();
        byte[] abort = new SctpPacket(5000, 5000, pair.server.sctp.localTag() + 1,
                List.<Chunk>of(new AbortChunk(false, List.of()))).encode();
        pair.server.sctp.receive(abort, 0, abort.length, pair.clock.nanoTime());
        byte[] good = new SctpPacket(5000, 5000, pair.server.sctp.localTag(),
                List.<Chunk>of(new AbortChunk(false, List.of()))).encode();
        good[good.length - 1] ^= 1;
        pair.server.sctp.receive(good, 0, good.length, pair.clock.nanoTime());
        byte[] wrongPort = new SctpPacket(5001, 5000, pair.server.sctp.localTag(),
                List.<Chunk>of(new AbortChunk(false, List.of()))).encode();
        pair.server.sctp.receive(wrongPort, 0, wrongPort.length, pair.clock.nanoTime());
        assertThat(pair.server.sctp.state()).isEqualTo(State.ESTABLISHED);
        assertThat(pair.server.sctp.malformedPackets()).isEqualTo(2);
    }

    // ------------------------------------------------------------------ helpers

    private static ChannelOptions options(ChannelType type, int retransmits, int lifetime) {
        ChannelOptions o = ChannelOptions.reliable();
        if (!type.ordered()) o = o.unordered();
        return switch (type.reliability()) {
            case RELIABLE -> o;
            case MAX_RETRANSMITS -> o.withMaxRetransmits(retransmits);
            case MAX_LIFETIME -> o.withMaxLifetimeMillis(lifetime);
        };
    }

    private static void exchangeOneMessageEachWay(Pair pair) {
        DataChannel[] ch = pair.serverChannel("ping", ChannelOptions.reliable());
        ch[0].send("ping");
        ch[1].send("pong");
        pair.deliver();
        assertThat(pair.client.texts()).containsExactly("ping");
        assertThat(pair.server.texts()).containsExactly("pong");
    }

    private static void deliverRaw(Pair.Peer to, int vtag, Chunk chunk) {
        to.receiveRaw(vtag, chunk);
    }

    private static boolean carries(SctpPacket p, String textPrefix) {
        for (Chunk c : p.chunks()) if (c instanceof DataChunk d && text(d).startsWith(textPrefix)) return true;
        return false;
    }

    private static String text(DataChunk d) {
        return new String(d.payload(), StandardCharsets.UTF_8);
    }
}
