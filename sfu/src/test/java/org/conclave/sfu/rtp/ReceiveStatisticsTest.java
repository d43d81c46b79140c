package org.conclave.sfu.rtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.conclave.sfu.clock.FakeClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ReceiveStatisticsTest {
    private static final int SSRC = 0x11223344;

    @Test
    void jitterFollowsHandComputedSequence() {
        // 8 kHz audio, 20 ms packets (160 units); arrival jitter hand-computed with RFC 3550 A.8's
        // J += (|D| - J) / 16: transits 0, 0, 40, 0, 0, 80 -> J = 0, 0, 2.5, 4.84, 4.54, 9.26.
        FakeClock clock = new FakeClock();
        ReceiveStatistics stats = new ReceiveStatistics(SSRC, 8000, 1);
        long[] arrivalMs = {0, 20, 45, 60, 80, 110};
        long start = clock.nanoTime();
        List<Long> jitter = new ArrayList<>();
        for (int i = 0; i < arrivalMs.length; i++) {
            assertThat(stats.onPacket(1000 + i, 160L * i, start + arrivalMs[i] * 1_000_000)).isTrue();
            jitter.add(stats.jitter());
        }
        assertThat(jitter).containsExactly(0L, 0L, 2L, 4L, 4L, 9L);
    }

    @Test
    void jitterIgnoresRtpTimestampWrapAndLateResends() {
        ReceiveStatistics stats = new ReceiveStatistics(SSRC, 90_000, 1);
        long ts = 0xFFFF_FFFFL - 3000 + 1;
        stats.onPacket(1, ts, 0);
        stats.onPacket(2, (ts + 3000) & 0xFFFF_FFFFL, 33_333_333);
        stats.onPacket(3, (ts + 6000) & 0xFFFF_FFFFL, 66_666_667);
        assertThat(stats.jitter()).isZero();
        // A resend of seq 2 arriving late does not count as jitter.
        stats.onPacket(2, (ts + 3000) & 0xFFFF_FFFFL, 500_000_000);
        assertThat(stats.jitter()).isZero();
    }

    @Test
    void jitterSkipsSenderRestartJump() {
        ReceiveStatistics stats = new ReceiveStatistics(SSRC, 90_000, 1);
        stats.onPacket(1, 0, 0);
        stats.onPacket(2, 3000, 33_333_333);
        stats.onPacket(3, 3000 + 90_000L * 60, 66_666_667); // timestamp leaps a minute
        assertThat(stats.jitter()).isZero();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', value = {
            // name; min sequential; seqs; expected validity per packet; received; expected; ext highest
            "probation passes on 2nd;          2; 100 101 102;            F T T;       2; 2; 102",
            "probation restarts on gap;        2; 100 105 106 107;        F F T T;     2; 2; 107",
            "probation of 3;                   3; 7 8 9 10;               F F T T;     2; 2; 10",
            "no probation;                     1; 5 6 8;                  T T T;       3; 4; 8",
            "wrap counts a cycle;              1; 65534 65535 0 1;        T T T T;     4; 4; 65537",
            "wrap on probation (base resets);  2; 65535 0 1;              F T T;       2; 2; 1",
            "reordered within window;          1; 10 11 13 12 14;         T T T T T;   5; 5; 14",
            "duplicate counts twice;           1; 0 1 1 1;                T T T T;     4; 2; 1",
            "late packet across wrap;          1; 65535 1 0 2;            T T T T;     4; 4; 65538",
            "big jump needs confirmation;      1; 0 1 2 40000 40001 40002; T T T F T T; 2; 2; 40002",
            "big jump not confirmed;           1; 0 1 2 40000 3;          T T T F T;   4; 4; 3",
            "jump under dropout advances;      1; 0 2999;                 T T;         2; 3000; 2999",
    })
    void sequenceValidation(String name, int minSequential, String seqs, String validity, long received,
                            long expected, long extendedHighest) {
        ReceiveStatistics stats = new ReceiveStatistics(SSRC, 90_000, minSequential);
        StringBuilder actual = new StringBuilder();
        long t = 0;
        for (String s : seqs.trim().split("\\s+")) {
            boolean valid = stats.onPacket(Integer.parseInt(s), 0, t += 1_000_000);
            actual.append(actual.length() == 0 ? "" : " ").append(valid ? 'T' : 'F');
        }
        assertThat(actual.toString()).isEqualTo(validity.trim());
        assertThat(stats.received()).isEqualTo(received);
        assertThat(stats.expected()).isEqualTo(expected);
        assertThat(stats.extendedHighestSeq()).isEqualTo(extendedHighest);
    }

    @Test
    void cyclesCountManyWraps() {
        ReceiveStatistics stats = new ReceiveStatistics(SSRC, 90_000, 1);
        for (int i = 0; i < 3 * 65536 + 10; i++) {
            stats.onPacket(i & 0xFFFF, 0, i);
        }
        assertThat(stats.cycles()).isEqualTo(3);
        assertThat(stats.extendedHighestSeq()).isEqualTo(3 * 65536 + 9);
        assertThat(stats.cumulativeLost()).isZero();
    }

    @Test
    void lossFractionPerInterval() {
        ReceiveStatistics stats = new ReceiveStatistics(SSRC, 90_000, 1);
        for (int seq = 0; seq < 10; seq++) {
            if (seq != 3 && seq != 4) {
                stats.onPacket(seq, 0, seq);
            }
        }
        assertThat(stats.cumulativeLost()).isEqualTo(2);
        assertThat(stats.takeFractionLost()).isEqualTo(51); // 2/10 * 256 = 51.2
        for (int seq = 10; seq < 20; seq++) {
            stats.onPacket(seq, 0, seq);
        }
        assertThat(stats.takeFractionLost()).isZero();
        assertThat(stats.cumulativeLost()).isEqualTo(2);
        stats.onPacket(3, 0, 100); // late arrival: received grows, expected does not
        assertThat(stats.takeFractionLost()).isZero();
        assertThat(stats.cumulativeLost()).isEqualTo(1);
        for (int seq = 20; seq < 24; seq++) {
            if (seq != 22) {
                stats.onPacket(seq, 0, seq);
            }
        }
        assertThat(stats.takeFractionLost()).isEqualTo(64); // 1/4
        assertThat(stats.takeFractionLost()).isZero(); // empty interval
    }

    @Test
    void cumulativeLostClampsTo24Bits() {
        ReceiveStatistics stats = new ReceiveStatistics(SSRC, 90_000, 1);
        int seq = 0;
        for (int i = 0; i < 3000; i++) {
            stats.onPacket(seq, 0, i);
            seq = (seq + 2999) & 0xFFFF;
        }
        assertThat(stats.expected() - stats.received()).isGreaterThan(0x7F_FFFF);
        assertThat(stats.cumulativeLost()).isEqualTo(0x7F_FFFF);
    }

    @Test
    void lastSenderReportAndDelay() {
        FakeClock clock = new FakeClock();
        ReceiveStatistics stats = new ReceiveStatistics(SSRC, 90_000, 1);
        assertThat(stats.lastSr()).isZero();
        assertThat(stats.delaySinceLastSr(clock.nanoTime())).isZero();
        stats.onSenderReport(0xAABBCCDD_EEFF1122L, clock.nanoTime());
        clock.advanceMillis(1500);
        assertThat(stats.lastSr()).isEqualTo(0xCCDDEEFFL);
        assertThat(stats.delaySinceLastSr(clock.nanoTime())).isEqualTo(98_304); // 1.5 * 65536
    }

    @Test
    void writesReportBlock() {
        FakeClock clock = new FakeClock();
        ReceiveStatistics stats = new ReceiveStatistics(0x01020304, 8000, 1);
        long t0 = clock.nanoTime();
        int[] seqs = {65534, 65535, 1, 2}; // 0 lost
        long[] arrivalMs = {0, 20, 60, 85};
        int[] tsSteps = {0, 1, 3, 4};
        for (int i = 0; i < seqs.length; i++) {
            stats.onPacket(seqs[i], 160L * tsSteps[i], t0 + arrivalMs[i] * 1_000_000);
        }
        stats.onSenderReport(0x0000_1234_5678_0000L, t0);
        clock.advanceMillis(250);
        byte[] buf = new byte[30];
        assertThat(stats.writeReportBlock(buf, 3, clock.nanoTime())).isEqualTo(24);
        // fraction 1/5*256=51 (0x33), lost 1, ext highest 0x00010002, jitter: transit 0,0,0,40 -> 40/16 = 2,
        // LSR 0x12345678, DLSR 0.25 s = 16384 (0x4000).
        assertThat(Hex.string(buf, 3, 24))
                .isEqualTo("01 02 03 04 33 00 00 01 00 01 00 02 00 00 00 02 12 34 56 78 00 00 40 00");
        assertThat(stats.writeReportBlock(buf, 7, clock.nanoTime())).isEqualTo(-1);
        assertThat(stats.writeReportBlock(buf, 6, clock.nanoTime())).isEqualTo(24);
        assertThat(buf[6 + 4]).isZero(); // new interval: nothing lost since
    }

    @Test
    void negativeCumulativeLostIsWrittenAsSigned24() {
        ReceiveStatistics stats = new ReceiveStatistics(7, 8000, 1);
        stats.onPacket(0, 0, 0);
        stats.onPacket(1, 160, 20_000_000);
        stats.onPacket(1, 160, 21_000_000);
        stats.onPacket(1, 160, 22_000_000);
        assertThat(stats.cumulativeLost()).isEqualTo(-2);
        byte[] buf = new byte[24];
        stats.writeReportBlock(buf, 0, 0);
        assertThat(Hex.string(buf, 4, 4)).isEqualTo("00 ff ff fe");
    }
}
