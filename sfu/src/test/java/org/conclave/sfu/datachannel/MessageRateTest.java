package org.conclave.sfu.datachannel;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The per-endpoint message budget with a fake clock: burst, steady rate, and how often the client is told. */
class MessageRateTest {
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    @Test
    void aBurstOfTwoSecondsPassesThenTheRateHolds() {
        MessageRate rate = new MessageRate(10, 0);
        int passed = 0;
        for (int i = 0; i < 100; i++) if (rate.take(0)) passed++;
        assertThat(passed).isEqualTo(20);

        // 10,000 messages a second for 3 s: 10 a second get through.
        passed = 0;
        for (long t = 0; t < 3000 * MS; t += MS / 10) if (rate.take(t)) passed++;
        assertThat(passed).isBetween(29, 31);
    }

    @Test
    void aQuietClientGetsItsWholeBurstBack() {
        MessageRate rate = new MessageRate(5, 0);
        while (rate.take(0)) { }
        assertThat(rate.take(100 * MS)).isFalse();
        long later = 5000 * MS;
        int passed = 0;
        for (int i = 0; i < 20; i++) if (rate.take(later)) passed++;
        assertThat(passed).isEqualTo(10);
    }

    @Test
    void theClientIsToldAtOnceThenAtMostOnceASecond() {
        MessageRate rate = new MessageRate(1, 0);
        assertThat(rate.tell(0)).isTrue();
        assertThat(rate.tell(999 * MS)).isFalse();
        assertThat(rate.tell(1000 * MS)).isTrue();
        assertThat(rate.tell(1500 * MS)).isFalse();
    }
}
