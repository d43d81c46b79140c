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

    /**
     * A burst grows the history; once a window passed in which its last second of packets used less than half of it,
     * housekeeping shrinks it back (keeping that second), at most once, and a steady rate near the threshold stays.
     */
    @ParameterizedTest(name = "{0} packets/s, a burst of {1}")
    @CsvSource({
        "900, 2000, '1024, 4096, 4096, 4096, 4096, 4096, 4096, 2048, 2048, 2048, 2048, 2048'",
        "100, 2000, '256, 4096, 4096, 4096, 4096, 4096, 256, 256, 256, 256, 256, 256'",
        "1500, 0, '2048, 2048, 2048, 2048, 2048, 2048, 2048, 2048, 2048, 2048, 2048, 2048'", // 73% used: stays
        "1000, 0, '1024, 1024, 1024, 1024, 1024, 1024, 1024, 1024, 1024, 1024, 1024, 1024'", // 98%
    })
    void aBurstGrowsItAndAWindowOfLessUseShrinksIt(int rate, int burst, String expected) {
        SendHistory h = new SendHistory(4096);
        long now = 5 * SECOND;
        long ext = 0;
        java.util.List<Integer> capacities = new java.util.ArrayList<>();
        for (int second = 0; second < 12; second++) {
            for (int tick = 0; tick < 10; tick++) {
                int packets = rate / 10 + (second == 1 && tick == 0 ? burst : 0);
                for (int k = 0; k < packets; k++) {
                    h.record(ext++, now, 1_000);
                    now += second == 1 && tick == 0 && k < burst ? 0 : SECOND / rate;
                }
                h.trim(now);
                long kept = Math.min(rate, h.capacity());
                for (long e = Math.max(0, ext - kept); e < ext; e++) {
                    assertThat(h.find(e)).as("ext %d", e).isNotNegative();
                }
            }
            capacities.add(h.capacity());
        }
        assertThat(capacities).containsExactly(java.util.Arrays.stream(expected.split(", "))
                .map(Integer::valueOf).toArray(Integer[]::new));
    }
}
