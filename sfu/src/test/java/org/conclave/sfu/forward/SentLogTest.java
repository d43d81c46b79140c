package org.conclave.sfu.forward;

import static org.assertj.core.api.Assertions.assertThat;

import org.conclave.sfu.clock.FakeClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

public class SentLogTest {
    private static final long SECOND = 1_000_000_000L;
    private final FakeClock clock = new FakeClock();

    /** The log holds one max age of a stream's packets: it grows with the stream's rate, not to its maximum. */
    @ParameterizedTest(name = "{0} packets/s")
    @CsvSource({
        "30, 64",    // thumbnail
        "180, 256",  // full-res
        "1000, 512", // more than the maximum in a second: capped, the oldest overwritten
        "1, 64",
    })
    void growsToOneMaxAgeOfPackets(int rate, int capacity) {
        SentLog log = new SentLog(512, SECOND);
        long interval = SECOND / rate;
        int first = 65_000; // wraps past 65535
        int count = 5 * rate;
        for (int k = 0; k < count; k++) {
            log.record(first + k, null, 1_000 + k, 90 * k, clock.nanoTime());
            clock.advanceNanos(interval);
        }
        assertThat(log.capacity()).isEqualTo(capacity);
        int kept = Math.min(rate, capacity) - 1;
        for (int k = count - 1 - kept; k < count; k++) {
            int seq = (first + k) & 0xFFFF;
            int entry = log.find(seq, clock.nanoTime(), SECOND + interval);
            assertThat(entry).as("seq %d", seq).isNotNegative();
            assertThat(log.outSeq(entry)).isEqualTo(seq);
            assertThat(log.inSeq(entry)).isEqualTo((1_000 + k) & 0xFFFF);
            assertThat(log.outTs(entry)).isEqualTo(90L * k);
        }
        assertThat(log.outSeq(log.newest())).isEqualTo((first + count - 1) & 0xFFFF);
    }

    @Test
    void keepsEntriesAndResendMarksAcrossGrowth() {
        SentLog log = new SentLog(512, SECOND);
        log.record(7, null, 70, 700, clock.nanoTime());
        assertThat(log.markResent(log.find(7, clock.nanoTime(), SECOND), clock.nanoTime(), 100)).isTrue();
        for (int seq = 8; seq < 200; seq++) {
            log.record(seq, null, seq * 10, seq * 100, clock.nanoTime());
        }
        assertThat(log.capacity()).isEqualTo(256);
        int entry = log.find(7, clock.nanoTime(), SECOND);
        assertThat(log.inSeq(entry)).isEqualTo(70);
        assertThat(log.markResent(entry, clock.nanoTime(), 100)).as("resent just now").isFalse();
        clock.advanceMillis(1_001);
        assertThat(log.find(7, clock.nanoTime(), SECOND)).as("too old").isEqualTo(-1);
        assertThat(log.find(200, clock.nanoTime(), SECOND)).as("never sent").isEqualTo(-1);
    }

    /**
     * A burst (a stalled thread catching up) grows the log; once a window passed in which its entries within max age
     * used less than half of it, housekeeping shrinks it back, keeping every one of them; then it stays.
     */
    @Test
    void aBurstGrowsTheLogAndAQuietWindowShrinksItBack() {
        SentLog log = new SentLog(512, SECOND);
        int[] rates = {30, 30, 200, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30};
        int seq = 65_000; // wraps past 65535
        long[] sentAt = new long[65_536];
        int[] capacities = new int[rates.length];
        for (int second = 0; second < rates.length; second++) {
            for (int tick = 0; tick < 10; tick++) {
                int packets = rates[second] / 10;
                for (int k = 0; k < packets; k++) {
                    int s = seq++ & 0xFFFF;
                    log.record(s, null, s ^ 0x5555, s * 90L, clock.nanoTime());
                    sentAt[s] = clock.nanoTime();
                    clock.advanceNanos(100_000_000L / packets);
                }
                log.trim(clock.nanoTime());
                for (int back = 1; back < 200 && clock.nanoTime() - sentAt[(seq - back) & 0xFFFF] <= SECOND; back++) {
                    int s = (seq - back) & 0xFFFF;
                    int entry = log.find(s, clock.nanoTime(), SECOND);
                    assertThat(entry).as("seq %d", s).isNotNegative();
                    assertThat(log.inSeq(entry)).isEqualTo(s ^ 0x5555);
                }
                assertThat(log.outSeq(log.newest())).isEqualTo((seq - 1) & 0xFFFF);
            }
            capacities[second] = log.capacity();
        }
        // Grown by the burst; shrunk once the window (5 s) no longer holds it, to what the last of it needed (its
        // entries age out over a second); a window later to what the steady stream needs; then steady.
        assertThat(capacities).containsExactly(64, 64, 256, 256, 256, 256, 256, 256, 256, 128, 128, 128, 128, 128, 64,
                64);
    }
}
