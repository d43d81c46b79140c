package org.conclave.sfu.sctp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.conclave.sfu.sctp.SctpAssociation.State;
import org.conclave.sfu.sctp.chunk.AbortChunk;
import org.conclave.sfu.sctp.chunk.Chunk;
import org.conclave.sfu.sctp.chunk.DataChunk;
import org.conclave.sfu.sctp.chunk.ErrorCause;
import org.conclave.sfu.sctp.chunk.ErrorChunk;
import org.conclave.sfu.sctp.chunk.SackChunk;
import org.conclave.sfu.sctp.chunk.SctpPacket;
import org.junit.jupiter.api.Test;

/**
 * What the association does with packets it must not trust: protocol violations, unknown chunks, wrong tags, ports and
 * checksums.
 */
class SctpAssociationTest {

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
}
