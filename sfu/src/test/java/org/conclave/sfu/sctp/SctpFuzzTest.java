package org.conclave.sfu.sctp;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Arrays;
import java.util.regex.Pattern;
import org.conclave.sfu.sctp.chunk.SctpFormatException;
import org.conclave.sfu.sctp.chunk.SctpPacket;
import org.conclave.sfu.sctp.dcep.DcepFormatException;
import org.conclave.sfu.sctp.dcep.DcepMessage;
import org.junit.jupiter.api.Test;

/**
 * Arbitrary bytes against the SCTP and DCEP parsers and against an established association. The parsers may only
 * throw their own exception and must not look outside {@code [off, off+len)} (two surroundings, same result); the
 * association may only end in a documented way and must stay within its memory limits.
 */
class SctpFuzzTest {
    private static final int PAD = 5;
    /** The only ways an association may end on hostile input (see SctpAssociation). */
    static final Pattern DOCUMENTED_ENDS = Pattern.compile("peer aborted.*|DATA without user data"
            + "|peer sent a message larger than \\d+ bytes|SACK for unsent data|bad SHUTDOWN|shutdown"
            + "|peer unreachable: too many retransmissions");

    /**
     * Input: a sequence of [framing byte][length u16][bytes]. Odd framing bytes wrap the bytes as the chunks of a
     * packet with the association's own tag and a valid checksum (so they reach the state machine); even ones are
     * delivered as the whole packet.
     */
    @FuzzTest
    void establishedAssociation(byte[] data) {
        Pair pair = reproducible();
        SctpAssociation a = pair.server.sctp;
        int pos = 0;
        while (pos + 3 <= data.length) {
            boolean wrap = (data[pos] & 1) != 0;
            int len = Math.min(((data[pos + 1] & 0xFF) << 8) | (data[pos + 2] & 0xFF), data.length - pos - 3);
            byte[] body = Arrays.copyOfRange(data, pos + 3, pos + 3 + len);
            pos += 3 + len;
            byte[] packet = wrap ? wrap(a.localTag(), body) : body;
            a.receive(packet, 0, packet.length, pair.clock.nanoTime());
            pair.clock.advanceMillis(50);
            a.onTimer(pair.clock.nanoTime());
            assertWithinLimits(a);
        }
        pair.runFor(2_000);
        assertWithinLimits(a);
        assertThat(a.state()).isNotIn(SctpAssociation.State.CLOSED, SctpAssociation.State.COOKIE_WAIT,
                SctpAssociation.State.COOKIE_ECHOED);
        for (String reason : pair.server.downReasons) assertThat(reason).matches(DOCUMENTED_ENDS);
    }

    /** A packet body with a valid checksum, parsed in two different surroundings. */
    @FuzzTest
    void packetParser(byte[] data) {
        byte[] body = new byte[SctpPacket.HEADER_LENGTH + data.length];
        System.arraycopy(data, 0, body, SctpPacket.HEADER_LENGTH, data.length);
        SctpPacket.seal(body, 0, body.length);
        String first = parse(embed(body, (byte) 0));
        String second = parse(embed(body, (byte) 0xFF));
        assertThat(second).isEqualTo(first);
    }

    @FuzzTest
    void dcepParser(byte[] data) throws Exception {
        String first = parseDcep(embed(data, (byte) 0), data.length);
        assertThat(parseDcep(embed(data, (byte) 0xFF), data.length)).isEqualTo(first);
        if (!first.startsWith("error")) {
            DcepMessage m = DcepMessage.parse(data, 0, data.length);
            byte[] again = m.encode();
            assertThat(DcepMessage.parse(again, 0, again.length)).isEqualTo(m);
        }
    }

    /** Keeps the seeds meaningful: they must reach deep states of the association. */
    @Test
    void seedsReachTheStateMachine() throws Exception {
        Pair pair = reproducible();
        SctpAssociation a = pair.server.sctp;
        byte[] seed = seed("establishedAssociation", "dcep-open-and-data");
        a.receive(wrap(a.localTag(), Arrays.copyOfRange(seed, 3, seed.length)), 0, seed.length - 3 + 12,
                pair.clock.nanoTime());
        assertThat(pair.server.opened).extracting(DataChannel::label).containsExactly("fuzz", "seed");
        assertThat(pair.server.texts()).containsExactly("hello");
    }

    /**
     * An established pair with fixed tags and TSNs (so inputs can address them): the server has opened channel 1
     * "fuzz"; the client's next TSN is {@link #CLIENT_NEXT_TSN}, the server's tag {@link #SERVER_TAG}.
     */
    static Pair reproducible() {
        Pair pair = new Pair(SctpSettings.defaults(true), SctpSettings.defaults(false), SEED).established();
        pair.serverChannel("fuzz", ChannelOptions.reliable());
        return pair;
    }

    static final long SEED = 20261;

    static void assertWithinLimits(SctpAssociation a) {
        assertThat(a.bufferedReceiveBytes()).isBetween(0, ReassemblyQueue.MAX_BUFFERED_BYTES);
        assertThat(a.channelCount()).isBetween(0, SctpAssociation.MAX_STREAMS);
        assertThat(a.controlQueueLength()).isZero();
        assertThat(a.bufferedSendBytes()).isBetween(0L, (long) DataSender.MAX_BUFFERED_BYTES
                + SctpAssociation.MAX_STREAMS * (long) 0x10000);
        Tcb tcb = a.tcb();
        if (tcb == null) return; // nothing held before the peer is known
        assertThat(tcb.receiver.reassembly.bufferedPieces()).isBetween(0, ReassemblyQueue.MAX_BUFFERED_PIECES);
        assertThat(tcb.receiver.tracker.outOfOrderCount()).isBetween(0, TsnTracker.WINDOW);
        assertThat(tcb.sender.queuedMessages())
                .isBetween(0, DataSender.MAX_QUEUED_MESSAGES + SctpAssociation.MAX_STREAMS);
        assertThat(tcb.resets.pendingCount()).isBetween(0, SctpAssociation.MAX_STREAMS);
    }

    static byte[] wrap(int vtag, byte[] chunks) {
        byte[] p = new byte[SctpPacket.HEADER_LENGTH + chunks.length];
        SctpPacket.writeHeader(p, 0, 5000, 5000, vtag);
        System.arraycopy(chunks, 0, p, SctpPacket.HEADER_LENGTH, chunks.length);
        SctpPacket.seal(p, 0, p.length);
        return p;
    }

    private static String parse(byte[] b) {
        try {
            SctpPacket p = SctpPacket.parse(b, PAD, b.length - 2 * PAD);
            return Arrays.toString(p.encode()) + p.chunks().size();
        } catch (SctpFormatException e) {
            return "error " + e.getMessage();
        }
    }

    private static String parseDcep(byte[] b, int len) {
        try {
            return DcepMessage.parse(b, PAD, len).toString();
        } catch (DcepFormatException e) {
            return "error " + e.getMessage();
        }
    }

    private static byte[] embed(byte[] data, byte fill) {
        byte[] b = new byte[data.length + 2 * PAD];
        Arrays.fill(b, fill);
        System.arraycopy(data, 0, b, PAD, data.length);
        return b;
    }

    private static byte[] seed(String method, String name) throws Exception {
        try (var in = SctpFuzzTest.class.getResourceAsStream("SctpFuzzTestInputs/" + method + "/" + name)) {
            return in.readAllBytes();
        }
    }
}
