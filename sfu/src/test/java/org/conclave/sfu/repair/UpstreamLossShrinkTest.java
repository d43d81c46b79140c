package org.conclave.sfu.repair;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.conclave.sfu.clock.FakeClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A missing list that grew in a loss burst shrinks back from housekeeping ({@link UpstreamLossDetector#trim}, every
 * 100 ms as on the packet thread; NACKs collected every 20 ms) once a window of smaller loss passed, and meanwhile
 * NACKs, gives up and recovers exactly as a detector that is never trimmed.
 */
class UpstreamLossShrinkTest {
    private static final int TRIM_MILLIS = 100;
    private static final int COLLECT_MILLIS = 20;
    private final FakeClock clock = new FakeClock();
    private final UpstreamLossDetector detector = new UpstreamLossDetector(NackOptions.DEFAULTS);
    /** Never trimmed: what the trimmed detector must keep doing, packet by packet and NACK by NACK. */
    private final UpstreamLossDetector reference = new UpstreamLossDetector(NackOptions.DEFAULTS);
    private final int[] out = new int[512];
    private final int[] referenceOut = new int[512];
    /** Retransmissions on their way: when due, sequence number. */
    private final ArrayDeque<long[]> late = new ArrayDeque<>();
    /** The capacity after each change, starting with the initial one. */
    private final List<Integer> sizes = new ArrayList<>(List.of(UpstreamLossDetector.INITIAL_MISSING));
    private int seq;
    private long millis;

    @Test
    void aLossBurstGrowsTheListAndAQuietWindowShrinksItBack() {
        stream(2_000, 100);
        lose(200, -1); // 200 in a row, never retransmitted: NACKed ten times in a second, then given up
        stream(1_100, 100);
        assertThat(detector.missingCapacity()).isEqualTo(256);
        assertThat(detector.missingCount()).isZero();
        stream(1_000, 100);
        assertThat(detector.missingCapacity()).as("within the window after growing").isEqualTo(256);
        stream(5_000, 100); // the burst's second slid out of the window (five max ages) a second ago
        assertThat(detector.missingCapacity()).isEqualTo(UpstreamLossDetector.INITIAL_MISSING);
        lose(3, 50);
        stream(20_000, 100);
        assertThat(sizes).containsExactly(16, 256, 16); // grown in one arrival: 16 → 32 → 64 → 128 → 256
        assertThat(detector.nacksSent()).isEqualTo(reference.nacksSent()).isEqualTo(200 * 10 + 3);
        assertThat(detector.recovered()).isEqualTo(3);
        assertThat(detector.gaveUp()).isEqualTo(200);
    }

    /** After a burst, a steady loss of 30 a second (retransmitted within 500 ms) keeps 30 + 25%. */
    @Test
    void itShrinksToTheWindowsPeakPlusHeadroom() {
        stream(1_000, 100);
        lose(100, 300);
        for (int second = 0; second < 15; second++) {
            stream(500, 100);
            lose(30, 500);
            stream(500, 100);
        }
        assertThat(sizes).containsExactly(16, 128, 37);
        assertThat(detector.gaveUp()).isZero();
        assertThat(detector.recovered()).isEqualTo(100 + 15 * 30);
    }

    /**
     * Bursts of 40-120 lost packets in the first two seconds of every ten, single losses and reordering otherwise,
     * some retransmitted in time and some not: through every growth and shrink, each arrival, NACK, key-frame request
     * and give-up is the never-trimmed detector's.
     */
    @Test
    void itNacksExactlyAsADetectorThatIsNeverTrimmed() {
        Random random = new Random(14);
        for (int second = 0; second < 60; second++) {
            for (int tick = 0; tick < 100; tick++) {
                boolean bursty = second % 10 < 2 && tick % 25 == 0;
                if (bursty) {
                    lose(40 + random.nextInt(81), random.nextBoolean() ? 50 + random.nextInt(800) : -1);
                } else if (random.nextInt(20) == 0) {
                    lose(1 + random.nextInt(3), random.nextInt(3) == 0 ? -1 : random.nextInt(300));
                }
                stream(10, 100);
            }
        }
        assertThat(sizes.size()).as("grown and shrunk: %s", sizes).isGreaterThanOrEqualTo(8);
        assertThat(sizes.get(sizes.size() - 1)).isLessThan(64);
        assertThat(detector.gaveUp()).isEqualTo(reference.gaveUp()).isPositive();
        assertThat(detector.recovered()).isEqualTo(reference.recovered()).isPositive();
    }

    /**
     * A steady loss after the list grew to 128: it only ever shrinks (never grows back), at most once, whether the
     * loss fills a share of the list just above or below the threshold or swings across it every second.
     */
    @ParameterizedTest(name = "{0} then {1} missing")
    @CsvSource({
        "80, 80, 0", // 62%
        "70, 70, 0", // 55%: just above the threshold
        "60, 60, 1", // 47%: just below; shrinks once, to 75, and stays
        "60, 70, 0", // swings across it every second: the window never passes below it
        "20, 60, 1",
        "0, 0, 1", // no more loss: back to the initial 16
    })
    void aSteadyLossNearTheThresholdDoesNotOscillate(int first, int second, int shrinks) {
        stream(1_000, 100);
        lose(100, 300);
        for (int s = 0; s < 60; s++) {
            stream(500, 100);
            lose(s % 2 == 0 ? first : second, 500);
            stream(500, 100);
        }
        assertThat(sizes).as("sizes").hasSize(2 + shrinks).startsWith(16, 128);
        if (shrinks > 0) {
            assertThat(sizes.get(2)).isEqualTo(Math.max(16, Math.max(first, second) * 5 / 4));
        }
        assertThat(detector.gaveUp()).isZero();
    }

    /** {@code ms} of packets at {@code rate} a second (dividing 1000), in order, with the packet thread's timers. */
    private void stream(int ms, int rate) {
        int interval = 1_000 / rate;
        for (int t = 0; t < ms; t++) {
            if (t % interval == 0) {
                arrive(seq++ & 0xFFFF);
            }
            clock.advanceMillis(1);
            millis++;
            timers();
        }
    }

    /** The next {@code n} packets are lost; retransmitted (in order) {@code retransmitMillis} later, or never if -1. */
    private void lose(int n, int retransmitMillis) {
        for (int k = 0; k < n; k++) {
            if (retransmitMillis >= 0) late.add(new long[] {millis + retransmitMillis, seq + k});
        }
        seq += n;
    }

    private void arrive(int s) {
        assertThat(detector.onPacket(s, clock.nanoTime())).isEqualTo(reference.onPacket(s, clock.nanoTime()));
    }

    private void timers() {
        long now = clock.nanoTime();
        List<long[]> due = late.stream().filter(r -> r[0] <= millis).toList();
        late.removeAll(due);
        for (long[] r : due) {
            arrive((int) r[1] & 0xFFFF);
        }
        if (millis % COLLECT_MILLIS == 0) {
            int n = detector.collect(now, out);
            int m = reference.collect(now, referenceOut);
            assertThat(Arrays.copyOf(out, n)).as("NACKs at %d ms", millis).isEqualTo(Arrays.copyOf(referenceOut, m));
            assertThat(detector.takeKeyFrameRequest()).isEqualTo(reference.takeKeyFrameRequest());
        }
        if (millis % TRIM_MILLIS == 0) {
            int missing = detector.missingCount();
            detector.trim(now);
            assertThat(detector.missingCount()).isEqualTo(missing).isEqualTo(reference.missingCount());
        }
        if (detector.missingCapacity() != sizes.get(sizes.size() - 1)) {
            sizes.add(detector.missingCapacity());
        }
    }
}
