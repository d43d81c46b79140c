package org.conclave.sfu.bwe;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.conclave.sfu.rtp.Hex;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Transport-cc FCI parsing: table of packets -> statuses ("seq:symbol:arrival offset µs") or error code. */
class TransportFeedbackTest {
    private static final String HEADER = "00 00 00 01 | 00 00 00 02 |";

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', value = {
            "run-length, small deltas;   8f cd 00 06 | H | 00 05 00 03 00 00 01 07 | 20 03 | 04 08 0c | 00 00 00;"
                    + " 5:1:1000 6:1:3000 7:1:6000",
            "1-bit vector with a loss;   8f cd 00 06 | H | 00 0a 00 04 00 00 00 00 | ac 00 | 01 02 03 | 00 00 00;"
                    + " 10:1:250 11:0:- 12:1:750 13:1:1500",
            "2-bit vector, negative large delta; 8f cd 00 06 | H | 00 14 00 03 00 00 02 00 | e1 00 | ff 38 10 | 00 00 00;"
                    + " 20:2:-50000 21:0:- 22:1:-46000",
            "sequence wraps;             8f cd 00 06 | H | ff fe 00 04 00 00 00 00 | 20 04 | 01 01 01 01 | 00 00;"
                    + " 65534:1:250 65535:1:500 0:1:750 1:1:1000",
            "lost run then vector;       8f cd 00 06 | H | 00 64 00 05 00 00 00 00 | 00 03 b0 00 | 02 02 | 00 00;"
                    + " 100:0:- 101:0:- 102:0:- 103:1:500 104:1:1000",
            "empty run chunk skipped;    8f cd 00 06 | H | 00 07 00 01 00 00 00 00 | 20 00 20 01 | 05 | 00 00 00;"
                    + " 7:1:1250",
            "reserved symbols past the count; 8f cd 00 05 | H | 00 01 00 02 00 00 00 00 | d7 ff | 01 01;"
                    + " 1:1:250 2:1:500",
            "RTCP padding;               af cd 00 06 | H | 00 05 00 01 00 00 00 00 | 20 01 | 07 | 00 | 00 00 00 04;"
                    + " 5:1:1750",
            "status count 0;             8f cd 00 04 | H | 00 01 00 00 00 00 00 00; -2",
            "chunks end early;           8f cd 00 05 | H | 00 01 00 14 00 00 00 00 | 20 02 | 20 02; -3",
            "reserved run;               8f cd 00 05 | H | 00 01 00 01 00 00 00 00 | 60 01 | 00 00; -4",
            "reserved symbol in vector;  8f cd 00 05 | H | 00 01 00 02 00 00 00 00 | dc 00 | 01 00; -4",
            "deltas missing;             8f cd 00 05 | H | 00 01 00 03 00 00 00 00 | 40 03 | 00 01; -5",
            "no room for any delta;      8f cd 00 05 | H | 00 01 00 02 00 00 00 00 | 20 01 | 40 01; -5",
            "a PLI;                      81 ce 00 02 | H; -1",
            "FCI shorter than 8 bytes;   8f cd 00 03 | H | 00 01 00 01; -1",
            "length field too long;      8f cd 00 07 | H | 00 05 00 01 00 00 00 00 | 20 01 | 07 | 00 00 00; -1",
            "wrong version;              4f cd 00 05 | H | 00 01 00 01 00 00 00 00 | 20 01 | 01 00; -1",
    })
    void parses(String name, String hex, String expected) {
        byte[] b = Hex.embedded(3, hex.replace("H", HEADER), 5);
        int len = b.length - 8;
        TransportFeedback fb = new TransportFeedback();
        int result = fb.reset(b, 3, len);
        if (expected.trim().startsWith("-")) {
            assertThat(result).isEqualTo(Integer.parseInt(expected.trim()));
            assertThat(fb.next()).isFalse();
            return;
        }
        assertThat(result).isEqualTo(expected.trim().split(" ").length);
        assertThat(statuses(fb)).isEqualTo(expected.trim());
        assertThat(fb.next()).isFalse();
    }

    @Test
    void fixedFields() {
        byte[] b = Hex.bytes("8f cd 00 05 | 11 22 33 44 | 55 66 77 88 | 12 34 00 01 ff ff ff 2a | 20 01 | 01 00");
        TransportFeedback fb = new TransportFeedback();
        assertThat(fb.reset(b, 0, b.length)).isEqualTo(1);
        assertThat(fb.senderSsrc()).isEqualTo(0x11223344);
        assertThat(fb.mediaSsrc()).isEqualTo(0x55667788);
        assertThat(fb.baseSequence()).isEqualTo(0x1234);
        assertThat(fb.statusCount()).isEqualTo(1);
        assertThat(fb.referenceTicks()).isEqualTo(0xFFFFFF);
        assertThat(fb.referenceTimeUs()).isEqualTo(-64_000);
        assertThat(fb.feedbackPacketCount()).isEqualTo(42);
    }

    @Test
    void failedResetForgetsThePreviousPacket() {
        TransportFeedback fb = new TransportFeedback();
        byte[] good = Hex.bytes("8f cd 00 05 | " + HEADER + " 00 01 00 01 00 00 00 00 | 20 01 | 01 00");
        assertThat(fb.reset(good, 0, good.length)).isEqualTo(1);
        assertThat(fb.reset(good, 0, good.length - 4)).isNegative();
        assertThat(fb.next()).isFalse();
        assertThat(fb.reset(null, 0, 0)).isEqualTo(TransportFeedback.ERR_NOT_TRANSPORT_CC);
        assertThat(fb.reset(good, 4, good.length)).isEqualTo(TransportFeedback.ERR_NOT_TRANSPORT_CC);
    }

    /** Whatever a receiver can encode (random loss and deltas, any chunk type) parses back to the same statuses. */
    @Test
    void roundTripsRandomFeedback() {
        Random random = new Random(7);
        TransportFeedback fb = new TransportFeedback();
        for (int round = 0; round < 300; round++) {
            int n = 1 + random.nextInt(round % 10 == 0 ? 3000 : 60);
            long[] arrivals = new long[n];
            long t = 5_000_000L + random.nextInt(1 << 20);
            double loss = random.nextDouble() * 0.5;
            for (int i = 0; i < n; i++) {
                t += random.nextInt(10) == 0 ? random.nextInt(200_000) - 60_000 : random.nextInt(3_000);
                arrivals[i] = i > 0 && random.nextDouble() < loss ? FeedbackWriter.NOT_RECEIVED : t;
            }
            int base = random.nextInt(65536);
            byte[] b = FeedbackWriter.write(1, 2, base, round & 0xFF, arrivals);
            assertThat(fb.reset(b, 0, b.length)).as("round %d", round).isEqualTo(n);
            long refUs = Math.floorDiv(arrivals[0], TransportFeedback.REFERENCE_TIME_UNIT_US)
                    * TransportFeedback.REFERENCE_TIME_UNIT_US;
            for (int i = 0; i < n; i++) {
                assertThat(fb.next()).isTrue();
                assertThat(fb.sequence()).isEqualTo((base + i) & 0xFFFF);
                assertThat(fb.received()).isEqualTo(arrivals[i] != FeedbackWriter.NOT_RECEIVED);
                if (fb.received()) {
                    long quantized = Math.floorDiv(arrivals[i], TransportFeedback.DELTA_UNIT_US)
                            * TransportFeedback.DELTA_UNIT_US;
                    assertThat(refUs + fb.arrivalOffsetUs()).isEqualTo(quantized);
                }
            }
            assertThat(fb.next()).isFalse();
        }
    }

    static String statuses(TransportFeedback fb) {
        List<String> out = new ArrayList<>();
        while (fb.next()) {
            out.add(fb.sequence() + ":" + fb.symbol() + ":" + (fb.received() ? fb.arrivalOffsetUs() : "-"));
        }
        return String.join(" ", out);
    }
}
