package org.conclave.sfu.bwe;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

public class SendHistoryTest {
    private static final long SECOND = 1_000_000_000L;

    /** The history holds about a second of a receiver's packets, within its maximum, whatever its rate. */
    @ParameterizedTest(name = "{0} packets/s, max {1}")
    @CsvSource({
        "0, 4096, 256",      // no transport-cc: nothing recorded
        "50, 4096, 256",     // audio only
        "900, 4096, 1024",   // a meeting's receiver
        "3000, 4096, 4096",
        "9000, 4096, 4096",  // capped: only the last 4096 packets
        "900, 128, 128",     // a maximum below the initial size
    })
    void growsToAboutOneSecondOfPackets(int rate, int max, int capacity) {
        SendHistory h = new SendHistory(max);
        long now = 5 * SECOND;
        int count = 3 * rate;
        for (int ext = 0; ext < count; ext++) {
            h.record(ext, now, 1_000 + ext % 200);
            now += SECOND / rate;
        }
        assertThat(h.capacity()).isEqualTo(capacity);
        if (count == 0) {
            assertThat(h.find(0)).isEqualTo(-1);
            return;
        }
        int kept = Math.min(rate, capacity);
        for (int ext = count - kept; ext < count; ext++) {
            int slot = h.find(ext);
            assertThat(slot).as("ext %d", ext).isNotNegative();
            assertThat(h.size(slot)).isEqualTo(1_000 + ext % 200);
            assertThat(h.state(slot)).isEqualTo(SendHistory.UNREPORTED);
        }
        assertThat(h.find(count - capacity - 1)).as("overwritten").isEqualTo(-1);
        assertThat(h.highest()).isEqualTo(count - 1);
    }
}
