package org.conclave.sfu.bwe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class AimdRateControlTest {
    private static final long MS = 1_000_000;

    @Test
    void increasesAboutEightPercentPerSecondWhenNormal() {
        AimdRateControl aimd = new AimdRateControl(1_000_000, 10_000, 100_000_000);
        long now = 0;
        aimd.update(BandwidthUsage.NORMAL, 1_000_000, now);
        for (int i = 0; i < 10; i++) {
            now += 100 * MS;
            aimd.update(BandwidthUsage.NORMAL, 1_000_000, now);
        }
        assertThat((double) aimd.estimateBps()).isCloseTo(1_080_000, within(5_000.0));
    }

    @Test
    void neverIncreasesBeyondOneAndAHalfTimesAcknowledged() {
        AimdRateControl aimd = new AimdRateControl(1_000_000, 10_000, 100_000_000);
        long now = 0;
        for (int i = 0; i < 200; i++) {
            aimd.update(BandwidthUsage.NORMAL, 400_000, now);
            now += 100 * MS;
        }
        assertThat(aimd.estimateBps()).isEqualTo(1_000_000);
        AimdRateControl low = new AimdRateControl(300_000, 10_000, 100_000_000);
        for (int i = 0; i < 200; i++) {
            low.update(BandwidthUsage.NORMAL, 400_000, now);
            now += 100 * MS;
        }
        assertThat(low.estimateBps()).isEqualTo(610_000);
    }

    @Test
    void overuseDropsTo85PercentOfAcknowledgedThenHolds() {
        AimdRateControl aimd = new AimdRateControl(2_000_000, 10_000, 100_000_000);
        aimd.update(BandwidthUsage.OVERUSING, 1_000_000, 0);
        assertThat(aimd.estimateBps()).isEqualTo(850_000);
        // Still over-using 100 ms later: too soon to cut again, and never up.
        aimd.update(BandwidthUsage.OVERUSING, 900_000, 100 * MS);
        assertThat(aimd.estimateBps()).isEqualTo(850_000);
        aimd.update(BandwidthUsage.OVERUSING, 900_000, 300 * MS);
        assertThat(aimd.estimateBps()).isEqualTo(765_000);
        aimd.update(BandwidthUsage.UNDERUSING, 900_000, 400 * MS);
        assertThat(aimd.estimateBps()).isEqualTo(765_000);
    }

    @Test
    void nearTheKnownCapacityIncreaseIsAdditive() {
        AimdRateControl aimd = new AimdRateControl(1_000_000, 10_000, 100_000_000);
        aimd.update(BandwidthUsage.OVERUSING, 1_000_000, 0);
        long after = aimd.estimateBps();
        long now = 0;
        for (int i = 0; i < 10; i++) {
            now += 100 * MS;
            aimd.update(BandwidthUsage.NORMAL, 900_000, now);
        }
        // One ~1040-byte packet per 600 ms response time: about 14 kbit/s per second, far below 8 %.
        assertThat(aimd.estimateBps() - after).isBetween(5_000L, 20_000L);
    }

    @Test
    void clampsToBounds() {
        AimdRateControl aimd = new AimdRateControl(50_000, 100_000, 200_000);
        assertThat(aimd.estimateBps()).isEqualTo(100_000);
        aimd.update(BandwidthUsage.OVERUSING, 20_000, 0);
        assertThat(aimd.estimateBps()).isEqualTo(100_000);
    }
}
