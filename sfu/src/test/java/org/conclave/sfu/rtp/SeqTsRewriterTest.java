package org.conclave.sfu.rtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.conclave.sfu.clock.FakeClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Table tests in the style of mediasoup's TestSeqManager. A script is a list of steps:
 * {@code in>out} forwards input seq {@code in} and expects output {@code out}; a leading {@code !} marks the first
 * packet of a new input stream; {@code ind} drops input {@code in}; {@code inx} expects input {@code in} rejected.
 */
class SeqTsRewriterTest {
    private static final int CLOCK_RATE = 90_000;

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', value = {
            "ordered;                              0>0 1>1 2>2 3>3 4>4",
            "first packet maps to itself;          5000>5000 5001>5001 5002>5002",
            "new input stream continues;           10>10 11>11 12>12 !900>13 901>14 902>15",
            "drops shift later packets down;       0>0 1>1 2d 3>2 4>3 5d 6d 7>4 8>5",
            "older packet after a drop;            0>0 2d 3>2 4>3 1>1",
            "lost packets keep their slot;         0>0 1>1 4d 5>4 3>3 2>2",
            "big forward jump kept;                0>0 1>1 1000>1000 1001>1001",
            "duplicates map alike;                 0>0 1>1 1>1 2>2 2>2 0>0",
            "dropped packet arriving again;        0>0 1d 1x 2>1 1x",
            "drop of an old packet ignored;        0>0 1>1 3>3 2d 4>4 2>2",
            "late packets of old stream rejected;  0>0 1>1 2>2 !50>3 51>4 1x 49x 2x 52>5",
            "packet before first one rejected;     100>100 99x 101>101",
            "wrap;                                 65533>65533 65534>65534 65535>65535 0>0 1>1",
            "wrap with drops;                      65533>65533 65534d 65535>65534 0>65535 1d 2>0 3>1",
            "reordered across wrap;                65534>65534 0>0 65535>65535 1>1",
            "drop range spanning wrap;             65534>65534 65535d 0d 1d 2>65535 3>0",
            "switch to stream near wrap;           7>7 8>8 !65534>9 65535>10 0>11 1>12",
            "output wraps across switches;         65530>65530 65531>65531 !10>65532 11>65533 12>65534 13>65535 14>0 !20000>1 20001>2",
            "switch then drop and reorder;         10>10 !300>11 301d 303>13 302>12 304>14",
            "trailing drops leave no gap;          0>0 1>1 2d 3d !7000>2 7001>3",
            "drop before first packet ignored;     4d 5>5 6>6",
            "restart of the same stream;           1000>1000 1001>1001 !0>1002 1>1003",
            "switch after reordering;              0>0 2>2 1>1 !40>3 41>4",
            "drop right after switch;              0>0 !10>1 11d 12>2 13>3",
    })
    void sequenceScript(String name, String script) {
        assertThat(run(new SeqTsRewriter(), script)).containsExactlyElementsOf(expected(script));
    }

    @Test
    void forgottenDropHistoryRejectsOlderPackets() {
        SeqTsRewriter rewriter = new SeqTsRewriter(2);
        String script = "0>0 2d 4d 6d 7>4 1x 2x 3>2 5>3 8>5";
        assertThat(run(rewriter, script)).containsExactlyElementsOf(expected(script));
    }

    /** Forwarding, reordering, duplicates and switches need no drop ranges: none are allocated until a drop. */
    @Test
    void noDropRangesUntilTheFirstDrop() {
        SeqTsRewriter rewriter = new SeqTsRewriter();
        assertThat(rewriter.dropCapacity()).isZero();
        String script = "0>0 2>2 1>1 1>1 3>3 !500>4 501>5 65535x !7>6 8>7";
        assertThat(run(rewriter, script)).containsExactlyElementsOf(expected(script));
        assertThat(rewriter.dropCapacity()).isZero();
        script = "9d 10>8 9x";
        assertThat(run(rewriter, script)).containsExactlyElementsOf(expected(script));
        assertThat(rewriter.dropCapacity()).isEqualTo(SeqTsRewriter.INITIAL_DROP_RANGES);
        script = "0>0 1d 2>1 1x 3d 4>2 3x 1x"; // a history of one range, allocated at the first drop
        assertThat(run(new SeqTsRewriter(1), script)).containsExactlyElementsOf(expected(script));
    }

    /** The drop ring starts small and grows: 20 separate ranges are all remembered to place a late packet. */
    @Test
    void dropHistoryGrowsAsRangesAccumulate() {
        SeqTsRewriter rewriter = new SeqTsRewriter();
        StringBuilder script = new StringBuilder("0>0");
        for (int in = 1; in <= 40; in++) {
            if (in % 2 == 1) script.append(' ').append(in).append('d');
            else if (in != 2) script.append(' ').append(in).append('>').append(in / 2);
        }
        script.append(" 2>1"); // late, behind 19 dropped ranges
        assertThat(run(rewriter, script.toString())).containsExactlyElementsOf(expected(script.toString()));
        assertThat(rewriter.dropCapacity()).isEqualTo(32);
    }

    @Test
    void consecutiveDropsUseOneHistorySlot() {
        SeqTsRewriter rewriter = new SeqTsRewriter(1);
        String script = "0>0 2d 3d 4d 5d 6>2 1>1";
        assertThat(run(rewriter, script)).containsExactlyElementsOf(expected(script));
    }

    @Test
    void longRunKeepsContinuityThroughManyWraps() {
        SeqTsRewriter rewriter = new SeqTsRewriter();
        int expected = 0;
        for (int i = 0; i < 200_000; i++) {
            int in = (i * 1 + 40_000) & 0xFFFF;
            if (i % 7 == 3) {
                assertThat(rewriter.drop(in)).isTrue();
                continue;
            }
            long r = rewriter.rewrite(in, 0, i == 0, 0, CLOCK_RATE);
            if (i == 0) {
                expected = SeqTsRewriter.outSeq(r);
            }
            assertThat(SeqTsRewriter.outSeq(r)).as("input #%d", i).isEqualTo(expected);
            expected = (expected + 1) & 0xFFFF;
        }
    }

    @Test
    void timestampsContinueAcrossSwitchWithElapsedWallTime() {
        FakeClock clock = new FakeClock();
        SeqTsRewriter rewriter = new SeqTsRewriter();
        long r = rewriter.rewrite(1, 1000, false, clock.nanoTime(), CLOCK_RATE);
        assertThat(SeqTsRewriter.outTs(r)).isEqualTo(1000);
        clock.advanceMillis(33);
        r = rewriter.rewrite(2, 4000, false, clock.nanoTime(), CLOCK_RATE);
        assertThat(SeqTsRewriter.outTs(r)).isEqualTo(4000);
        assertThat(rewriter.timestampOffset()).isZero();

        clock.advanceMillis(100);
        r = rewriter.rewrite(5000, 777_777, true, clock.nanoTime(), CLOCK_RATE);
        assertThat(SeqTsRewriter.outSeq(r)).isEqualTo(3);
        assertThat(SeqTsRewriter.outTs(r)).isEqualTo(4000 + 9000);
        assertThat(rewriter.timestampOffset()).isEqualTo((13_000 - 777_777) & 0xFFFF_FFFFL);

        clock.advanceMillis(33);
        r = rewriter.rewrite(5001, 777_777 + 3000, false, clock.nanoTime(), CLOCK_RATE);
        assertThat(SeqTsRewriter.outSeq(r)).isEqualTo(4);
        assertThat(SeqTsRewriter.outTs(r)).isEqualTo(16_000);
    }

    @Test
    void switchWithoutElapsedTimeStillAdvancesTimestamp() {
        SeqTsRewriter rewriter = new SeqTsRewriter();
        rewriter.rewrite(1, 500, false, 42, 48_000);
        long r = rewriter.rewrite(77, 123, true, 42, 48_000);
        assertThat(SeqTsRewriter.outTs(r)).isEqualTo(501);
        r = rewriter.rewrite(99, 5, true, 41, 48_000);
        assertThat(SeqTsRewriter.outTs(r)).isEqualTo(502);
    }

    @Test
    void timestampWrapsAndUsesClockRate() {
        FakeClock clock = new FakeClock();
        SeqTsRewriter rewriter = new SeqTsRewriter();
        rewriter.rewrite(10, 0xFFFF_FF00L, false, clock.nanoTime(), 48_000);
        clock.advanceMillis(20);
        long r = rewriter.rewrite(3, 17, true, clock.nanoTime(), 48_000);
        assertThat(SeqTsRewriter.outTs(r)).isEqualTo((0xFFFF_FF00L + 960) & 0xFFFF_FFFFL);
        r = rewriter.rewrite(4, 17 + 960, false, clock.nanoTime(), 48_000);
        assertThat(SeqTsRewriter.outTs(r)).isEqualTo(0xFFFF_FF00L + 1920 - 0x1_0000_0000L);
    }

    @Test
    void longPauseIsConvertedWithoutOverflow() {
        FakeClock clock = new FakeClock();
        SeqTsRewriter rewriter = new SeqTsRewriter();
        rewriter.rewrite(1, 0, false, clock.nanoTime(), CLOCK_RATE);
        clock.advanceMillis(3_600_000L * 24 * 400); // 400 days
        long r = rewriter.rewrite(1, 0, true, clock.nanoTime(), CLOCK_RATE);
        long units = 400L * 24 * 3600 * CLOCK_RATE;
        assertThat(SeqTsRewriter.outTs(r)).isEqualTo(units & 0xFFFF_FFFFL);
    }

    @Test
    void switchTimestampFollowsHighestSequenceNotLastArrival() {
        FakeClock clock = new FakeClock();
        SeqTsRewriter rewriter = new SeqTsRewriter();
        rewriter.rewrite(1, 9000, false, clock.nanoTime(), CLOCK_RATE);
        clock.advanceMillis(10);
        rewriter.rewrite(3, 12_000, false, clock.nanoTime(), CLOCK_RATE);
        clock.advanceMillis(10);
        rewriter.rewrite(2, 10_500, false, clock.nanoTime(), CLOCK_RATE); // late, lower ts
        clock.advanceMillis(10);
        long r = rewriter.rewrite(60, 1, true, clock.nanoTime(), CLOCK_RATE);
        // 20 ms after seq 3 was sent: 12000 + 1800.
        assertThat(SeqTsRewriter.outTs(r)).isEqualTo(13_800);
        assertThat(SeqTsRewriter.outSeq(r)).isEqualTo(4);
    }

    @Test
    void rejectionAndAccessorsBeforeStart() {
        SeqTsRewriter rewriter = new SeqTsRewriter();
        assertThat(rewriter.highestOutSeq()).isEqualTo(-1);
        assertThat(rewriter.drop(3)).isFalse();
        rewriter.rewrite(3, 0, false, 0, CLOCK_RATE);
        assertThat(rewriter.highestOutSeq()).isEqualTo(3);
        assertThat(rewriter.rewrite(2, 0, false, 0, CLOCK_RATE)).isEqualTo(SeqTsRewriter.REJECTED);
    }

    private static List<String> run(SeqTsRewriter rewriter, String script) {
        List<String> actual = new ArrayList<>();
        for (String step : script.trim().split("\\s+")) {
            boolean newStream = step.startsWith("!");
            String s = newStream ? step.substring(1) : step;
            if (s.endsWith("d")) {
                rewriter.drop(Integer.parseInt(s.substring(0, s.length() - 1)));
                actual.add(step);
                continue;
            }
            int in = Integer.parseInt(s.contains(">") ? s.substring(0, s.indexOf('>')) : s.substring(0, s.length() - 1));
            long r = rewriter.rewrite(in, 0, newStream, 0, CLOCK_RATE);
            String out = r == SeqTsRewriter.REJECTED ? in + "x" : in + ">" + SeqTsRewriter.outSeq(r);
            actual.add((newStream ? "!" : "") + out);
        }
        return actual;
    }

    private static List<String> expected(String script) {
        return List.of(script.trim().split("\\s+"));
    }
}
