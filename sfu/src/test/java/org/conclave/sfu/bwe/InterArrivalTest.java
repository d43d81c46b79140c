package org.conclave.sfu.bwe;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class InterArrivalTest {
    private static final long MS = 1_000_000;

    @Test
    void deltasBetweenCompletedGroups() {
        InterArrival ia = new InterArrival();
        // Group 1: sent 0..4 ms; group 2: sent 10..14 ms; a packet at 20 ms completes group 2.
        assertThat(ia.add(0, 100_000)).isFalse();
        assertThat(ia.add(4 * MS, 104_000)).isFalse();
        assertThat(ia.add(10 * MS, 112_000)).isFalse();
        assertThat(ia.add(14 * MS, 118_000)).isFalse();
        assertThat(ia.add(20 * MS, 121_000)).isTrue();
        assertThat(ia.sendDeltaMs()).isEqualTo(10.0);
        assertThat(ia.arrivalDeltaMs()).isEqualTo(14.0);
        assertThat(ia.arrivalTimeMs()).isEqualTo(118);
    }

    @Test
    void packetsSentBeforeTheCurrentGroupAreIgnored() {
        InterArrival ia = new InterArrival();
        ia.add(0, 100_000);
        ia.add(10 * MS, 110_000);
        assertThat(ia.add(3 * MS, 111_000)).isFalse();
        assertThat(ia.add(20 * MS, 120_000)).isTrue();
        assertThat(ia.arrivalDeltaMs()).isEqualTo(10.0);
    }

    @Test
    void aClockJumpResets() {
        InterArrival ia = new InterArrival();
        ia.add(0, 100_000);
        ia.add(10 * MS, 110_000);
        assertThat(ia.add(20 * MS, 5_000_000)).isTrue();
        assertThat(ia.add(30 * MS, 5_010_000)).isFalse();
        assertThat(ia.add(40 * MS, 5_020_000)).isFalse();
        assertThat(ia.add(50 * MS, 5_030_000)).isTrue();
    }
}
