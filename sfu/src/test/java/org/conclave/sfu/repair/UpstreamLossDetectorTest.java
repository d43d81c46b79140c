package org.conclave.sfu.repair;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.stream.Collectors;
import org.conclave.sfu.clock.FakeClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UpstreamLossDetectorTest {
    private final FakeClock clock = new FakeClock();
    private final UpstreamLossDetector detector = new UpstreamLossDetector(NackOptions.DEFAULTS);
    private final int[] out = new int[512];

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', value = {
            "in order;                     1 2 3 4;              ''",
            "one lost;                     1 2 4 5;              3",
            "too fresh to tell;            1 2 4;                ''",
            "reordered within the window;  1 2 4 3 5 6;          ''",
            "several lost;                 10 11 15 16 17;       12 13 14",
            "two gaps;                     1 3 4 6 7 8;          2 5",
            "wrap;                         65534 65535 1 2 3;    0",
            "gap across the wrap;          65533 2 3 4;          65534 65535 0 1",
            "duplicates;                   1 2 2 4 4 5;          3",
            "very old packet ignored;      100 101 103 104 5;    102",
            "retransmission fills the gap; 1 2 5 6 3 7;          4",
    })
    void nacksForArrivals(String name, String arrivals, String expected) {
        for (String s : arrivals.trim().split("\\s+")) {
            detector.onPacket(Integer.parseInt(s), clock.nanoTime());
            clock.advanceMillis(1);
        }
        assertThat(collect()).isEqualTo(expected.trim());
    }

    @Test
    void theLastGapIsNackedAfterTheReorderTime() {
        arrive(1, 2, 4);
        assertThat(collect()).isEmpty();
        clock.advanceMillis(NackOptions.DEFAULT_REORDER_MILLIS);
        assertThat(collect()).isEqualTo("3");
    }

    @Test
    void retriesEveryIntervalThenGivesUpAndWantsAKeyFrame() {
        arrive(1, 3, 4);
        assertThat(collect()).isEqualTo("2");
        assertThat(collect()).isEmpty();
        for (int retry = 2; retry <= NackOptions.DEFAULT_UPSTREAM_MAX_RETRIES; retry++) {
            clock.advanceMillis(99);
            assertThat(collect()).isEmpty();
            clock.advanceMillis(1);
            assertThat(collect()).as("retry %d", retry).isEqualTo("2");
        }
        assertThat(detector.nacksSent()).isEqualTo(10);
        assertThat(detector.takeKeyFrameRequest()).isFalse();
        clock.advanceMillis(100);
        assertThat(collect()).isEmpty();
        assertThat(detector.missingCount()).isZero();
        assertThat(detector.gaveUp()).isEqualTo(1);
        assertThat(detector.takeKeyFrameRequest()).isTrue();
        assertThat(detector.takeKeyFrameRequest()).isFalse();
    }

    @Test
    void givesUpAfterTheMaxAge() {
        UpstreamLossDetector slow = new UpstreamLossDetector(new NackOptions(512, 1_000, 100, 256, 100, 300, 1_000,
                2, 10));
        slow.onPacket(1, clock.nanoTime());
        slow.onPacket(3, clock.nanoTime());
        slow.onPacket(4, clock.nanoTime());
        int nacks = 0;
        for (int ms = 0; ms <= 1_001; ms++) {
            nacks += slow.collect(clock.nanoTime(), out);
            clock.advanceMillis(1);
        }
        assertThat(nacks).isEqualTo(4);
        assertThat(slow.missingCount()).isZero();
        assertThat(slow.takeKeyFrameRequest()).isTrue();
    }

    @Test
    void aLatePacketAfterItsNackCountsAsRecovered() {
        arrive(1, 3, 4);
        assertThat(collect()).isEqualTo("2");
        arrive(2);
        assertThat(detector.recovered()).isEqualTo(1);
        clock.advanceMillis(200);
        assertThat(collect()).isEmpty();
        assertThat(detector.takeKeyFrameRequest()).isFalse();
    }

    @Test
    void aGapLargerThanTheListKeepsTheNewestAndWantsAKeyFrame() {
        detector.onPacket(0, clock.nanoTime());
        assertThat(detector.onPacket(301, clock.nanoTime())).isEqualTo(300);
        assertThat(detector.missingCount()).isEqualTo(256);
        assertThat(detector.gaveUp()).isEqualTo(44);
        assertThat(detector.takeKeyFrameRequest()).isTrue();
        clock.advanceMillis(10);
        int n = detector.collect(clock.nanoTime(), out);
        assertThat(n).isEqualTo(256);
        assertThat(out[0]).isEqualTo(45);
        assertThat(out[255]).isEqualTo(300);
    }

    /** Gaps one at a time beyond the initial 16: the list grows, stays in order, and a retransmission clears one. */
    @Test
    void manySeparateGapsGrowTheListInOrder() {
        assertThat(detector.missingCapacity()).isEqualTo(UpstreamLossDetector.INITIAL_MISSING);
        StringBuilder expected = new StringBuilder();
        for (int seq = 0; seq <= 80; seq += 2) {
            detector.onPacket(seq, clock.nanoTime());
            if (seq > 0 && seq != 34) expected.append(expected.length() == 0 ? "" : " ").append(seq - 1);
        }
        assertThat(detector.missingCount()).isEqualTo(40);
        assertThat(detector.missingCapacity()).isEqualTo(64);
        detector.onPacket(33, clock.nanoTime());
        clock.advanceMillis(10);
        assertThat(collect()).isEqualTo(expected.toString());
    }

    @Test
    void aHugeJumpIsARestartNotLoss() {
        arrive(1, 3);
        detector.onPacket(1 + UpstreamLossDetector.MAX_JUMP + 5, clock.nanoTime());
        assertThat(detector.missingCount()).isZero();
        assertThat(detector.takeKeyFrameRequest()).isTrue();
        clock.advanceMillis(100);
        assertThat(collect()).isEmpty();
    }

    @Test
    void collectIsBoundedByTheOutputArray() {
        arrive(0, 20, 21, 22);
        int[] small = new int[5];
        assertThat(detector.collect(clock.nanoTime(), small)).isEqualTo(5);
        assertThat(small).containsExactly(1, 2, 3, 4, 5);
        assertThat(detector.collect(clock.nanoTime(), out)).isEqualTo(14);
        assertThat(out[0]).isEqualTo(6);
    }

    private void arrive(int... seqs) {
        for (int s : seqs) {
            detector.onPacket(s, clock.nanoTime());
        }
    }

    private String collect() {
        int n = detector.collect(clock.nanoTime(), out);
        return Arrays.stream(out, 0, n).mapToObj(Integer::toString).collect(Collectors.joining(" "));
    }
}
