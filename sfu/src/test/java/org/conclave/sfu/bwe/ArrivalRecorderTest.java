package org.conclave.sfu.bwe;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What the recorder writes is read back with the SFU's own transport-cc parser. */
class ArrivalRecorderTest {
    private final ArrivalRecorder recorder = new ArrivalRecorder(0);
    private final byte[] buf = new byte[1500];
    private final TransportFeedback parsed = new TransportFeedback();

    @Test
    void reportsArrivalsAndGapsSinceTheLastFeedback() {
        recorder.onPacket(65534, 1_000_000);
        recorder.onPacket(65535, 2_000_000);
        recorder.onPacket(1, 4_000_000); // 0 lost, across the wrap
        int n = recorder.write(buf, 0, 1, 2);
        assertThat(parsed.reset(buf, 0, n)).isEqualTo(4);
        assertThat(parsed.baseSequence()).isEqualTo(65534);
        StringBuilder seen = new StringBuilder();
        while (parsed.next()) seen.append(parsed.sequence()).append(parsed.received() ? "+" : "-").append(' ');
        assertThat(seen.toString()).isEqualTo("65534+ 65535+ 0- 1+ ");
        assertThat(recorder.hasNews()).isFalse();
        assertThat(recorder.write(buf, 0, 1, 2)).isEqualTo(-1);

        recorder.onPacket(2, 5_000_000);
        n = recorder.write(buf, 0, 1, 2);
        assertThat(parsed.reset(buf, 0, n)).isEqualTo(1);
        assertThat(parsed.baseSequence()).isEqualTo(2);
        assertThat(parsed.feedbackPacketCount()).isEqualTo(1);
    }

    @Test
    void arrivalTimesKeepTheirSpacing() {
        recorder.onPacket(10, 100_000_000);
        recorder.onPacket(11, 103_000_000);
        int n = recorder.write(buf, 0, 1, 2);
        parsed.reset(buf, 0, n);
        parsed.next();
        long first = parsed.arrivalOffsetUs();
        parsed.next();
        assertThat(parsed.arrivalOffsetUs() - first).isEqualTo(3_000);
    }

    @Test
    void lateAndHugeJumpsNeitherBreakNorGrowIt() {
        recorder.onPacket(100, 1_000_000);
        recorder.write(buf, 0, 1, 2);
        recorder.onPacket(99, 2_000_000); // reported already
        assertThat(recorder.hasNews()).isFalse();
        recorder.onPacket(30_000, 3_000_000);
        assertThat(recorder.restarts()).isEqualTo(1);
        int n = recorder.write(buf, 0, 1, 2);
        assertThat(parsed.reset(buf, 0, n)).isEqualTo(1);
        assertThat(parsed.baseSequence()).isEqualTo(30_000);
    }
}
