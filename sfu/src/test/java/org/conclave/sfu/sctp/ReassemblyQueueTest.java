package org.conclave.sfu.sctp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.conclave.sfu.sctp.chunk.DataChunk;
import org.junit.jupiter.api.Test;

class ReassemblyQueueTest {
    private final List<String> delivered = new ArrayList<>();
    private final ReassemblyQueue q = new ReassemblyQueue(4, 100,
            (sid, ppid, data) -> delivered.add(sid + ":" + new String(data, StandardCharsets.UTF_8)));

    @Test
    void deliversOrderedMessagesInSsnOrderAcrossFragments() {
        assertThat(q.add(12, frag(1, 1, false, true, false, "wor"))).isTrue();
        assertThat(q.add(13, frag(1, 1, false, false, true, "ld"))).isTrue();
        assertThat(delivered).isEmpty(); // SSN 1 waits for SSN 0
        assertThat(q.bufferedPieces()).isEqualTo(1);
        assertThat(q.add(10, frag(1, 0, false, true, false, "hel"))).isTrue();
        assertThat(q.add(11, frag(1, 0, false, false, true, "lo"))).isTrue();
        assertThat(delivered).containsExactly("1:hello", "1:world");
        assertThat(q.bufferedBytes()).isZero();
        assertThat(q.bufferedPieces()).isZero();
    }

    @Test
    void deliversUnorderedMessagesAtOnce() {
        q.add(20, frag(2, 0, true, false, true, "b"));
        q.add(21, frag(2, 0, true, true, true, "x"));
        assertThat(delivered).containsExactly("2:x");
        q.add(19, frag(2, 0, true, true, false, "a"));
        assertThat(delivered).containsExactly("2:x", "2:ab");
    }

    @Test
    void doesNotJoinFragmentsOfDifferentStreamsOrSsns() {
        q.add(1, frag(1, 0, false, true, false, "a"));
        q.add(2, frag(2, 0, false, false, true, "b"));
        q.add(3, frag(1, 1, false, false, true, "c"));
        assertThat(delivered).isEmpty();
        assertThat(q.bufferedPieces()).isEqualTo(3);
    }

    @Test
    void rejectsMessagesLargerThanTheLimitEvenBeforeTheyComplete() {
        assertThat(q.add(1, frag(1, 0, false, true, false, "x".repeat(60)))).isTrue();
        assertThat(q.add(2, frag(1, 0, false, false, false, "x".repeat(41)))).isFalse();
    }

    @Test
    void forwardTsnDropsFragmentsAndSkipsSsns() {
        q.add(5, frag(1, 0, false, true, false, "lost-start"));
        q.add(8, frag(1, 2, false, true, true, "after"));
        q.add(7, frag(3, 0, true, false, true, "unordered-tail"));
        q.forward(6, new int[] {1}, new int[] {1});
        assertThat(delivered).containsExactly("1:after");
        assertThat(q.bufferedPieces()).isEqualTo(1); // the unordered tail above the new cumulative TSN stays
        q.forward(7, new int[0], new int[0]);
        assertThat(q.bufferedBytes()).isZero();
    }

    @Test
    void streamResetRestartsSsns() {
        q.add(1, frag(0, 0, false, true, true, "a"));
        q.add(3, frag(0, 5, false, true, true, "early"));
        q.resetStream(0);
        assertThat(q.bufferedBytes()).isZero();
        q.add(4, frag(0, 0, false, true, true, "b"));
        assertThat(delivered).containsExactly("0:a", "0:b");
    }

    @Test
    void acceptsOnlyTheNextTsnAboveTheWatermark() {
        ReassemblyQueue big = new ReassemblyQueue(1, 1 << 18, (s, p, d) -> { });
        long tsn = 0;
        while (big.hasRoom(1000, false)) big.add(tsn += 2, frag(0, (int) tsn, false, true, false, "x".repeat(1000)));
        assertThat(big.bufferedBytes()).isLessThanOrEqualTo(ReassemblyQueue.WATERMARK_BYTES);
        assertThat(big.hasRoom(1000, true)).isTrue();
        assertThat(big.receiveWindow()).isEqualTo(ReassemblyQueue.MAX_BUFFERED_BYTES - big.bufferedBytes());
    }

    private static DataChunk frag(int sid, int ssn, boolean unordered, boolean b, boolean e, String payload) {
        return new DataChunk(0, sid, ssn, 51, unordered, b, e, payload.getBytes(StandardCharsets.UTF_8));
    }
}
