package org.conclave.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Arrays;

/**
 * Whatever a server forwards, finding and reading the probe never throws and never looks outside the payload: the
 * payload sits between guard bytes of two values, and both readings must agree.
 */
class ProbePayloadFuzzTest {
    private static final int GUARD = 8;

    @FuzzTest(maxDuration = "30s")
    void read(byte[] data) {
        long low = readWithin(data, (byte) 0x00);
        long high = readWithin(data, (byte) 0xFF);
        assertThat(high).isEqualTo(low);
    }

    /** Probe offset, track, sequence and send time folded into one number (or -1). */
    private static long readWithin(byte[] data, byte guard) {
        byte[] b = new byte[data.length + 2 * GUARD];
        Arrays.fill(b, guard);
        System.arraycopy(data, 0, b, GUARD, data.length);
        int at = FramePayload.findProbe(b, GUARD, data.length);
        if (at < 0) {
            assertThat(at).isEqualTo(ProbePayload.NOT_A_PROBE);
            return -1;
        }
        assertThat(at).isBetween(GUARD, GUARD + data.length - ProbePayload.LENGTH);
        int track = ProbePayload.track(b, at, GUARD + data.length - at);
        assertThat(track).isNotNegative();
        return ((at * 31L + track) * 31 + ProbePayload.sequence(b, at)) * 31 + ProbePayload.sentNanos(b, at);
    }
}
