package org.conclave.sfu.sctp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.conclave.sfu.sctp.chunk.Chunk;
import org.conclave.sfu.sctp.chunk.CookieEchoChunk;
import org.conclave.sfu.sctp.chunk.DataChunk;
import org.conclave.sfu.sctp.chunk.ErrorCause;
import org.conclave.sfu.sctp.chunk.ErrorChunk;
import org.conclave.sfu.sctp.chunk.ForwardTsnChunk;
import org.conclave.sfu.sctp.chunk.HeartbeatChunk;
import org.conclave.sfu.sctp.chunk.ReConfigChunk;
import org.conclave.sfu.sctp.chunk.ReConfigParameter;
import org.conclave.sfu.sctp.chunk.SackChunk;
import org.conclave.sfu.sctp.chunk.SctpPacket;
import org.conclave.sfu.sctp.chunk.UnknownChunk;
import org.conclave.sfu.sctp.dcep.ChannelType;
import org.conclave.sfu.sctp.dcep.DcepMessage;
import org.conclave.sfu.sctp.dcep.Ppid;
import org.junit.jupiter.api.Test;

/**
 * 100k well-formed but hostile chunks (valid tag and checksum, so they all reach the state machine): DATA scattered
 * over and beyond the TSN window on any stream with any flags and PPID, DCEP OPENs, SACKs, FORWARD-TSNs, stream reset
 * requests, heartbeats, errors, unknown chunks. The association's buffers must stay under their named limits
 * throughout, and it must still work afterwards.
 */
class GarbageFloodTest {
    private static final int CHUNKS = 100_000;
    private final Random rnd = new Random(1234);

    @Test
    void floodOfGarbageChunksLeavesMemoryBounded() {
        Pair pair = new Pair().established();
        SctpAssociation a = pair.server.sctp;
        pair.server.drop = p -> true; // the flood's sender never listens
        int maxReceive = 0;
        int maxPieces = 0;
        int maxTracked = 0;
        int maxChannels = 0;
        long maxSend = 0;
        int terminated = 0;
        for (int sent = 0; sent < CHUNKS; ) {
            List<Chunk> chunks = new ArrayList<>();
            for (int i = 0; i < 8; i++) chunks.add(garbage(pair));
            sent += chunks.size();
            byte[] p = new SctpPacket(5000, 5000, a.localTag(), chunks).encode();
            a.receive(p, 0, p.length, pair.clock.nanoTime());
            if (sent % 800 == 0) {
                pair.clock.advanceMillis(100);
                a.onTimer(pair.clock.nanoTime());
            }
            SctpFuzzTest.assertWithinLimits(a);
            maxReceive = Math.max(maxReceive, a.bufferedReceiveBytes());
            maxPieces = Math.max(maxPieces, a.tcb().receiver.reassembly.bufferedPieces());
            maxTracked = Math.max(maxTracked, a.tcb().receiver.tracker.outOfOrderCount());
            maxChannels = Math.max(maxChannels, a.channelCount());
            maxSend = Math.max(maxSend, a.bufferedSendBytes());
            if (a.state() == SctpAssociation.State.TERMINATED) { // a documented end (e.g. an oversized message)
                assertThat(pair.server.downReasons.get(0)).matches(SctpFuzzTest.DOCUMENTED_ENDS);
                terminated++;
                pair = new Pair().established();
                a = pair.server.sctp;
                pair.server.drop = q -> true;
            }
        }
        // the flood really pressed on the limits, and they held
        System.out.printf("flood: max receive bytes %d, pieces %d, out-of-order TSNs %d, channels %d, send bytes %d,"
                + " association restarts %d%n", maxReceive, maxPieces, maxTracked, maxChannels, maxSend, terminated);
        assertThat(maxReceive).isGreaterThan(ReassemblyQueue.MAX_BUFFERED_BYTES / 4);
        assertThat(maxTracked).isGreaterThan(100);
        assertThat(maxChannels).isGreaterThan(10);
        assertThat(terminated).isLessThan(20);

        // still a working association
        pair.server.drop = q -> false;
        pair.client.wire.clear();
        Pair fresh = pair;
        if (a.state() == SctpAssociation.State.ESTABLISHED) {
            DataChannel ch = a.open("after", ChannelOptions.reliable());
            assertThat(ch).isNotNull();
        }
        assertThat(fresh.server.sctp.state()).isIn(SctpAssociation.State.ESTABLISHED, SctpAssociation.State.TERMINATED);
    }

    /** One-byte middle fragments all over the TSN window: they never complete, so only the piece limit stops them. */
    @Test
    void floodOfTinyFragmentsHitsThePieceLimit() {
        Pair pair = new Pair().established();
        SctpAssociation a = pair.server.sctp;
        pair.server.drop = p -> true;
        int maxTracked = 0;
        int maxPieces = 0;
        for (int sent = 0; sent < CHUNKS; ) {
            List<Chunk> chunks = new ArrayList<>();
            int base = a.tcb().receiver.cumulativeTsn();
            for (int i = 0; i < 50; i++) {
                chunks.add(new DataChunk(base + 1 + rnd.nextInt(TsnTracker.WINDOW + 100), rnd.nextInt(1024), 0,
                        Ppid.BINARY, rnd.nextBoolean(), false, false, new byte[] {1}));
            }
            sent += chunks.size();
            byte[] p = new SctpPacket(5000, 5000, a.localTag(), chunks).encode();
            a.receive(p, 0, p.length, pair.clock.nanoTime());
            SctpFuzzTest.assertWithinLimits(a);
            maxTracked = Math.max(maxTracked, a.tcb().receiver.tracker.outOfOrderCount());
            maxPieces = Math.max(maxPieces, a.tcb().receiver.reassembly.bufferedPieces());
        }
        assertThat(a.state()).isEqualTo(SctpAssociation.State.ESTABLISHED);
        assertThat(maxPieces).isEqualTo(ReassemblyQueue.MAX_BUFFERED_PIECES);
        assertThat(maxTracked).isGreaterThan(TsnTracker.WINDOW / 2);
        assertThat(a.bufferedReceiveBytes()).isEqualTo(a.tcb().receiver.reassembly.bufferedPieces());
    }

    private Chunk garbage(Pair pair) {
        int tsnBase = (int) pair.server.sctp.tcb().sender.peerCumulativeAck();
        int peerTsn = pair.server.sctp.tcb().receiver.cumulativeTsn();
        int kind = rnd.nextInt(100);
        if (kind < 61) return data(peerTsn);
        if (kind < 68) return new SackChunk(tsnBase - rnd.nextInt(3), rnd.nextInt(1 << 20), gaps(), gaps(),
                new int[] {rnd.nextInt()});
        if (kind < 69) return new ForwardTsnChunk(peerTsn + rnd.nextInt(30_000) - 1000,
                new int[] {rnd.nextInt(1100)}, new int[] {rnd.nextInt(65536)});
        if (kind < 76) return new ReConfigChunk(List.of(new ReConfigParameter.OutgoingResetRequest(
                peerTsn + rnd.nextInt(5) - 2, rnd.nextInt(), peerTsn + rnd.nextInt(40_000) - 20_000,
                new int[] {rnd.nextInt(1100), rnd.nextInt(1100)})));
        if (kind < 80) return new HeartbeatChunk(rnd.nextBoolean(), bytes(rnd.nextInt(64)));
        if (kind < 84) return new ErrorChunk(List.of(new ErrorCause(rnd.nextInt(20), bytes(rnd.nextInt(16)))));
        if (kind < 88) return new CookieEchoChunk(bytes(rnd.nextInt(80)));
        return new UnknownChunk(0x80 | rnd.nextInt(0x40) | (rnd.nextBoolean() ? 0x40 : 0), rnd.nextInt(256),
                bytes(rnd.nextInt(100)));
    }

    private Chunk data(int peerTsn) {
        int tsn = peerTsn + 1 + (rnd.nextBoolean() ? rnd.nextInt(20_000) : rnd.nextInt(500));
        int sid = rnd.nextInt(1100);
        byte[] payload;
        int ppid;
        if (rnd.nextInt(10) == 0) {
            ChannelType type = ChannelType.values()[rnd.nextInt(ChannelType.values().length)];
            payload = new DcepMessage.Open(type, rnd.nextInt(1024), rnd.nextInt(10), "g" + rnd.nextInt(), "").encode();
            ppid = Ppid.DCEP;
            sid &= ~1; // the client's parity
        } else {
            payload = bytes(1 + (rnd.nextBoolean() ? rnd.nextInt(20) : rnd.nextInt(1100)));
            ppid = new int[] {Ppid.STRING, Ppid.BINARY, Ppid.STRING_PARTIAL, Ppid.BINARY_EMPTY, rnd.nextInt()}[rnd.nextInt(5)];
        }
        boolean small = rnd.nextBoolean();
        return new DataChunk(tsn, sid, rnd.nextInt(8), ppid, rnd.nextBoolean(), small || rnd.nextBoolean(),
                small || rnd.nextBoolean(), payload);
    }

    private int[] gaps() {
        return new int[] {1 + rnd.nextInt(100)};
    }

    private byte[] bytes(int n) {
        byte[] b = new byte[n];
        rnd.nextBytes(b);
        return b;
    }
}
