package org.conclave.sfu.sctp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.conclave.sfu.sctp.SctpAssociation.State;
import org.conclave.sfu.sctp.chunk.AbortChunk;
import org.conclave.sfu.sctp.chunk.Chunk;
import org.conclave.sfu.sctp.chunk.ChunkType;
import org.conclave.sfu.sctp.chunk.CookieEchoChunk;
import org.conclave.sfu.sctp.chunk.DataChunk;
import org.conclave.sfu.sctp.chunk.ErrorCause;
import org.conclave.sfu.sctp.chunk.ErrorChunk;
import org.conclave.sfu.sctp.chunk.InitChunk;
import org.conclave.sfu.sctp.chunk.SackChunk;
import org.conclave.sfu.sctp.chunk.SctpPacket;
import org.conclave.sfu.sctp.dcep.ChannelType;
import org.conclave.sfu.sctp.dcep.Ppid;
import org.junit.jupiter.api.Test;

/**
 * Association set-up between two associations on a fake clock: both ways, crossed and simultaneous INITs, loss, bad
 * cookies and INITs, Chrome's INIT.
 */
class HandshakeTest {

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
        pair.exchangeOneMessageEachWay();
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
        pair.exchangeOneMessageEachWay();
    }

    @Test
    void initReachingAClosedPeerThatThenConnectsToo() {
        Pair pair = new Pair();
        pair.server.sctp.connect();
        byte[] init = pair.server.wire.poll();
        pair.client.sctp.receive(init, 0, init.length, pair.clock.nanoTime()); // still CLOSED: a stateless INIT-ACK
        pair.client.sctp.connect(); // its own INIT follows the INIT-ACK; the cookie then meets COOKIE-WAIT
        assertThat(pair.runUntil(pair::bothEstablished, 1000)).isTrue();
        pair.exchangeOneMessageEachWay();
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
        pair.exchangeOneMessageEachWay();
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
        pair.server.receiveRaw(vtag, new CookieEchoChunk(forged));
        assertThat(pair.server.sctp.state()).isEqualTo(State.CLOSED);
        assertThat(pair.server.sent).hasSize(1); // only the INIT-ACK: no answer to a forged cookie

        pair.clock.advanceNanos(CookieSigner.LIFETIME_NANOS + TimeUnit.SECONDS.toNanos(1));
        pair.server.receiveRaw(vtag, new CookieEchoChunk(cookie));
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
}
