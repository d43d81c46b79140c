package org.conclave.sfu.rtcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.conclave.sfu.bwe.TransportFeedback;
import org.junit.jupiter.api.Test;

/** What we write, the SFU's own parser reads back: statuses, and arrival times to the 250 µs unit. */
class TransportCcWriterTest {

    @Test
    void roundTripsThroughTheSfuParser() {
        long t0 = 3_000_000_123L;
        long[] arrivals = {t0, t0 + 1_000, -1, t0 + 70_000, t0 + 70_250, -1, -1, t0 + 200_000, t0 + 200_000};
        byte[] buf = new byte[256];
        int n = TransportCcWriter.write(buf, 0, 11, 22, 65_533, arrivals, arrivals.length, 9);
        assertThat(n % 4).isZero();
        TransportFeedback fb = new TransportFeedback();
        assertThat(fb.reset(buf, 0, n)).isGreaterThanOrEqualTo(0);
        assertThat(fb.baseSequence()).isEqualTo(65_533);
        assertThat(fb.statusCount()).isEqualTo(arrivals.length);
        assertThat(fb.feedbackPacketCount()).isEqualTo(9);
        assertThat(fb.senderSsrc()).isEqualTo(11);
        assertThat(fb.mediaSsrc()).isEqualTo(22);
        List<String> seen = new ArrayList<>();
        long reference = fb.referenceTimeUs();
        long at = reference;
        while (fb.next()) {
            if (fb.received()) {
                at += fb.deltaTicks() * TransportFeedback.DELTA_UNIT_US;
                seen.add(fb.sequence() + "@" + (at - (t0 / 64_000) * 64_000));
            } else {
                seen.add(fb.sequence() + "@-");
            }
        }
        long base = t0 % 64_000 / 250 * 250;
        assertThat(seen).containsExactly("65533@" + base, "65534@" + (base + 1000), "65535@-",
                "0@" + (base + 70_000), "1@" + (base + 70_250), "2@-", "3@-", "4@" + (base + 200_000),
                "5@" + (base + 200_000));
    }

    @Test
    void refusesDeltasBeyondSixteenBits() {
        long[] arrivals = {0, 10_000_000};
        assertThat(TransportCcWriter.write(new byte[64], 0, 1, 2, 0, arrivals, 2, 0)).isEqualTo(-1);
    }
}
