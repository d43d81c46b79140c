package org.conclave.sfu.bwe;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BitrateWindowTest {
    @Test
    void measuresASteadyRate() {
        BitrateWindow window = new BitrateWindow(500_000, 25);
        assertThat(window.rateBps()).isEqualTo(-1);
        // 1000 bytes every 8 ms = 1 Mbit/s, for 2 s.
        for (long t = 0; t <= 2_000_000; t += 8_000) {
            window.add(t, 1000);
        }
        assertThat(window.rateBps()).isBetween(980_000L, 1_020_000L);
    }

    @Test
    void usesTheTimeSeenSoFarAtTheStart() {
        BitrateWindow window = new BitrateWindow(500_000, 25);
        for (long t = 0; t <= 100_000; t += 8_000) {
            window.add(t, 1000);
        }
        assertThat(window.rateBps()).isBetween(1_000_000L, 1_100_000L);
    }

    @Test
    void forgetsWhatLeftTheWindowAndIgnoresOldSamples() {
        BitrateWindow window = new BitrateWindow(500_000, 25);
        for (long t = 0; t <= 1_000_000; t += 8_000) {
            window.add(t, 1000);
        }
        for (long t = 1_000_000; t <= 2_000_000; t += 16_000) {
            window.add(t, 1000);
        }
        window.add(100_000, 1_000_000);
        assertThat(window.rateBps()).isBetween(480_000L, 520_000L);
    }
}
