package org.conclave.sfu.sctp;

import static org.assertj.core.api.Assertions.assertThat;

import org.conclave.sfu.sctp.chunk.SackChunk;
import org.junit.jupiter.api.Test;

class TsnTrackerTest {
    @Test
    void tracksCumulativePointGapsAndDuplicates() {
        TsnTracker t = new TsnTracker(100);
        assertThat(t.cumulative() & 0xFFFFFFFFL).isEqualTo(99);
        receive(t, 100);
        receive(t, 102);
        receive(t, 103);
        receive(t, 106);
        assertThat(t.classify(t.unwrap(102))).isEqualTo(TsnTracker.Arrival.DUPLICATE);
        assertThat(t.classify(t.unwrap(100))).isEqualTo(TsnTracker.Arrival.DUPLICATE);
        t.noteDuplicate(102);
        SackChunk s = t.sack(5000);
        assertThat(s.cumulativeTsnAck()).isEqualTo(100);
        assertThat(s.gapStarts()).containsExactly(2, 6);
        assertThat(s.gapEnds()).containsExactly(3, 6);
        assertThat(s.duplicateTsns()).containsExactly(102);
        assertThat(s.aRwnd()).isEqualTo(5000);
        assertThat(t.sack(5000).duplicateTsns()).isEmpty();
        receive(t, 101);
        assertThat((int) t.cumulative()).isEqualTo(103);
        assertThat(t.hasGaps()).isTrue();
        assertThat(t.outOfOrderCount()).isEqualTo(1);
    }

    @Test
    void wrapsAroundTheTsnSpace() {
        TsnTracker t = new TsnTracker(-2); // 0xFFFFFFFE
        receive(t, -2);
        receive(t, 0);
        SackChunk s = t.sack(1);
        assertThat(s.cumulativeTsnAck()).isEqualTo(-2);
        assertThat(s.gapStarts()).containsExactly(2);
        receive(t, -1);
        assertThat((int) t.cumulative()).isEqualTo(0);
        assertThat(t.hasGaps()).isFalse();
    }

    @Test
    void dropsBeyondTheWindowAndBoundsGapBlocks() {
        TsnTracker t = new TsnTracker(0);
        // initial TSN 0: the cumulative point is -1, the window covers 0 .. WINDOW-1
        assertThat(t.classify(t.unwrap(TsnTracker.WINDOW - 1))).isEqualTo(TsnTracker.Arrival.NEW);
        assertThat(t.classify(t.unwrap(TsnTracker.WINDOW))).isEqualTo(TsnTracker.Arrival.BEYOND_WINDOW);
        for (int i = 1; i < 400; i += 2) receive(t, i);
        SackChunk s = t.sack(0);
        assertThat(s.gapStarts()).hasSize(TsnTracker.MAX_GAP_BLOCKS);
        for (int i = 0; i < TsnTracker.MAX_DUPLICATES + 5; i++) t.noteDuplicate(1);
        assertThat(t.sack(0).duplicateTsns()).hasSize(TsnTracker.MAX_DUPLICATES);
    }

    @Test
    void forwardTsnSkipsAndKeepsLaterArrivals() {
        TsnTracker t = new TsnTracker(10);
        receive(t, 13);
        receive(t, 15);
        t.forwardTo(t.unwrap(12));
        assertThat((int) t.cumulative()).isEqualTo(13);
        assertThat(t.sack(0).gapStarts()).containsExactly(2);
        t.forwardTo(t.unwrap(10)); // behind: no effect
        assertThat((int) t.cumulative()).isEqualTo(13);
        t.forwardTo(t.unwrap(1_000_000)); // far ahead: everything below counts as received
        assertThat((int) t.cumulative()).isEqualTo(1_000_000);
        assertThat(t.hasGaps()).isFalse();
        assertThat(t.outOfOrderCount()).isZero();
        receive(t, 1_000_001);
        assertThat((int) t.cumulative()).isEqualTo(1_000_001);
    }

    private static void receive(TsnTracker t, int tsn) {
        long u = t.unwrap(tsn);
        assertThat(t.classify(u)).isEqualTo(TsnTracker.Arrival.NEW);
        t.markReceived(u);
    }
}
