package org.conclave.sfu.forward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PacketBudgetTest {
    static final long MS = 1_000_000L;

    @Test
    void oneSecondsWorthAtOnceThenTheRate() {
        PacketBudget b = new PacketBudget(100);
        long now = 5_000 * MS;
        int taken = 0;
        for (int i = 0; i < 1_000; i++) if (b.take(now)) taken++;
        assertThat(taken).as("a burst of one second's worth").isEqualTo(100);
        assertThat(b.take(now + 9 * MS)).as("9 ms later: less than one packet's share").isFalse();
        assertThat(b.take(now + 10 * MS)).as("10 ms later: one packet").isTrue();
        assertThat(b.take(now + 10 * MS)).isFalse();
    }

    @Test
    void creditNeverExceedsOneSecond() {
        PacketBudget b = new PacketBudget(10);
        b.take(0);
        long later = 3_600_000 * MS;
        int taken = 0;
        for (int i = 0; i < 100; i++) if (b.take(later)) taken++;
        assertThat(taken).isEqualTo(10);
    }

    @Test
    void aClockGoingBackGivesNoCredit() {
        PacketBudget b = new PacketBudget(10);
        for (int i = 0; i < 10; i++) assertThat(b.take(1_000 * MS)).isTrue();
        assertThat(b.take(900 * MS)).isFalse();
    }

    @Test
    void rateMustBePositive() {
        assertThatThrownBy(() -> new PacketBudget(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
