package org.conclave.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Arrays;

/**
 * Whatever a server forwards, reading the probe never throws and never looks outside the payload: the payload sits
 * between guard bytes of two values, and both readings must agree.
 */
class ProbePayloadFuzzTest {
    private static final int GUARD = 8;

    @FuzzTest(maxDuration = "30s")
    void read(byte[] data) {
        int low = readWithin(data, (byte) 0x00);
        int high = readWithin(data, (byte) 0xFF);
        assertThat(high).isEqualTo(low);
        assertThat(low).isGreaterThanOrEqualTo(ProbePayload.NOT_A_PROBE);
        if (low >= 0) {
            assertThat(data.length).isGreaterThanOrEqualTo(ProbePayload.LENGTH);
        }
    }

    private static int readWithin(byte[] data, byte guard) {
        byte[] b = new byte[data.length + 2 * GUARD];
        Arrays.fill(b, guard);
        System.arraycopy(data, 0, b, GUARD, data.length);
        int track = ProbePayload.track(b, GUARD, data.length);
        if (track >= 0) {
            // the accessors only read inside a payload track() accepted
            long mixed = ProbePayload.sequence(b, GUARD) ^ ProbePayload.sentNanos(b, GUARD);
            assertThat(mixed).isEqualTo(ProbePayload.sequence(data, 0) ^ ProbePayload.sentNanos(data, 0));
        }
        return track;
    }
}
