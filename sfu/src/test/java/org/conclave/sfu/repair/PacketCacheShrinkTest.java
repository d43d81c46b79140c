package org.conclave.sfu.repair;

import static org.assertj.core.api.Assertions.assertThat;
import static org.conclave.sfu.repair.PacketCacheTest.packet;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.conclave.sfu.clock.FakeClock;
import org.conclave.sfu.rtp.ShrinkWindow;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A cache that grew in a burst shrinks back from housekeeping ({@link PacketCache#trim}, every 100 ms here as on the
 * packet thread) once a window of use well below its size passed, and never loses a packet younger than the max age.
 */
class PacketCacheShrinkTest {
    private static final long TICK_NANOS = 100_000_000L;
    private static final long WINDOW_NANOS = ShrinkWindow.WINDOW_KEEP_TIMES * 1_000_000_000L;
    private final FakeClock clock = new FakeClock();
    private final PacketCache cache = new PacketCache(512, 1_000);
    /** Every packet put: sequence number, size, when. */
    private final List<long[]> puts = new ArrayList<>();
    private int seq;
    private long nextTick;

    @Test
    void aBurstGrowsTheRingAndAQuietWindowShrinksItBack() {
        stream(3, 50, 1500); // few large packets: ~75 KB a second
        int steady = cache.ringBytes();
        assertThat(steady).isBetween(75_200, 94_000);
        burst(150, 1500); // the packet thread stalled: three seconds of arrivals within one max age
        int grown = cache.ringBytes();
        assertThat(grown).isGreaterThan(3 * steady);
        assertThat(cache.capacity()).isEqualTo(256);
        stream(1, 50, 1500);
        assertThat(cache.ringBytes()).as("within the window after growing").isEqualTo(grown);
        stream(WINDOW_NANOS / 1_000_000_000L + 1, 50, 1500);
        // The window's peak (a second: ~75 KB) + 25% + one record, far below what the burst left.
        assertThat(cache.ringBytes()).isLessThan(grown / 2).isBetween(50 * 1504 * 5 / 4 + 1504, 51 * 1504 * 5 / 4 + 1504);
        assertThat(cache.capacity()).isEqualTo(64);
        assertEveryYoungPacketIsCached();
        int shrunk = cache.ringBytes();
        stream(20, 50, 1500);
        assertThat(cache.ringBytes()).as("steady after shrinking: no growth, no second shrink").isEqualTo(shrunk);
        assertThat(cache.capacity()).isEqualTo(64);
    }

    @Test
    void aStreamThatStopsGivesItsMemoryBack() {
        stream(3, 180, 1200);
        assertThat(cache.ringBytes()).isGreaterThan(200_000);
        for (long t = 0; t <= 2 * WINDOW_NANOS; t += TICK_NANOS) {
            clock.advanceNanos(TICK_NANOS);
            cache.trim(clock.nanoTime());
        }
        assertThat(cache.ringBytes()).isEqualTo(PacketCache.INITIAL_RING_BYTES);
        assertThat(cache.capacity()).isEqualTo(PacketCache.INITIAL_CAPACITY);
        stream(2, 180, 1200);
        assertEveryYoungPacketIsCached();
    }

    /** Before and after every housekeeping tick, through growth and shrinking, with sizes that skip the ring's end. */
    @Test
    void everyPacketYoungerThanTheMaxAgeSurvivesTheShrink() {
        int[] sizes = {1500, 20, 701, 1199, 64, 333, 1500, 999};
        int shrinks = 0;
        for (int tick = 0; tick < 300; tick++) {
            // Bursts of seven times the usual rate in the first two seconds of every ten.
            int packets = tick % 100 < 20 ? 40 : 6;
            for (int k = 0; k < packets; k++) {
                put(sizes[seq % sizes.length]);
                clock.advanceNanos(TICK_NANOS / packets);
            }
            assertEveryYoungPacketIsCached();
            int before = cache.ringBytes();
            cache.trim(clock.nanoTime());
            shrinks += cache.ringBytes() < before ? 1 : 0;
            assertEveryYoungPacketIsCached();
        }
        assertThat(shrinks).as("after each burst, once its window passed").isEqualTo(3);
    }

    /**
     * A steady stream after a ring grew: its size only ever shrinks (never grows back), at most once a window and then
     * stays, whether the stream uses a share of the ring just above or below the threshold or swings across it every
     * second.
     */
    @ParameterizedTest(name = "{0}% then {1}% of the ring")
    @CsvSource({
        "85, 85, 0", // as grown
        "56, 56, 0", // just above the threshold
        "44, 44, 1", // just below: shrinks once, to 125% of the need, and stays
        "44, 56, 0", // swings across it every second: the window never passes below it
        "20, 44, 1",
        "5, 5, 1",
    })
    void aSteadyStreamNearTheThresholdDoesNotOscillate(int firstPercent, int secondPercent, int shrinks) {
        stream(3, 100, 1000);
        int grown = cache.ringBytes();
        List<Integer> sizes = new ArrayList<>();
        sizes.add(grown);
        for (int second = 0; second < 60; second++) {
            int percent = second % 2 == 0 ? firstPercent : secondPercent;
            stream(1, percent * grown / 100 / 1004 - 1, 1000); // a second's records and the oldest's neighbours
            if (cache.ringBytes() != sizes.get(sizes.size() - 1)) sizes.add(cache.ringBytes());
        }
        assertThat(sizes).hasSize(1 + shrinks).isSortedAccordingTo((a, b) -> Integer.compare(b, a));
        int maxPercent = Math.max(firstPercent, secondPercent);
        if (shrinks > 0) assertThat(sizes.get(1)).isLessThanOrEqualTo(grown * (maxPercent + 2) / 100 * 5 / 4 + 1504);
        assertEveryYoungPacketIsCached();
    }

    /** {@code seconds} of {@code rate} packets a second of {@code size} bytes, evenly spaced; trimmed every tick. */
    private void stream(long seconds, int rate, int size) {
        long interval = 1_000_000_000L / rate;
        for (long k = 0; k < seconds * rate; k++) {
            put(size);
            clock.advanceNanos(interval);
            if (clock.nanoTime() - nextTick >= 0) {
                nextTick = clock.nanoTime() + TICK_NANOS;
                cache.trim(clock.nanoTime());
            }
        }
    }

    /** {@code count} packets at once (a stalled packet thread catching up). */
    private void burst(int count, int size) {
        for (int k = 0; k < count; k++) {
            put(size);
        }
    }

    private void put(int size) {
        int s = seq++ & 0xFFFF;
        assertThat(cache.put(packet(s, size), 0, size, clock.nanoTime())).isTrue();
        puts.add(new long[] {s, size, clock.nanoTime()});
    }

    private void assertEveryYoungPacketIsCached() {
        byte[] out = new byte[PacketCache.SLOT_BYTES];
        long now = clock.nanoTime();
        for (int i = puts.size() - 1; i >= 0 && now - puts.get(i)[2] <= 1_000_000_000L; i--) {
            int s = (int) puts.get(i)[0];
            int size = (int) puts.get(i)[1];
            int slot = cache.find(s, now);
            assertThat(slot).as("seq %d, %d ns old", s, now - puts.get(i)[2]).isNotNegative();
            assertThat(Arrays.copyOf(out, cache.copy(slot, out, 0))).as("seq %d", s).isEqualTo(packet(s, size));
        }
    }
}
