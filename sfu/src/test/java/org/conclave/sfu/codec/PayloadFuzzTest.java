package org.conclave.sfu.codec;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Arrays;

/**
 * Fuzz targets for the key-frame detectors: never throw, never read outside the payload (same answer with 0x00 and
 * 0xFF guard bytes around it), and agree with the whole-packet entry point.
 */
class PayloadFuzzTest {
    private static final int GUARD = 8;

    @FuzzTest(maxDuration = "30s")
    void vp8(byte[] data) {
        check(CodecFamily.VP8, data);
        boolean low = Vp8Payload.isFrameStart(embed(data, (byte) 0), GUARD, data.length);
        assertThat(Vp8Payload.isFrameStart(embed(data, (byte) 0xFF), GUARD, data.length)).isEqualTo(low);
        if (Vp8Payload.isKeyFrameStart(embed(data, (byte) 0), GUARD, data.length)) {
            assertThat(low).isTrue();
        }
    }

    @FuzzTest(maxDuration = "30s")
    void h264(byte[] data) {
        check(CodecFamily.H264, data);
    }

    private static void check(CodecFamily codec, byte[] data) {
        boolean low = codec.isKeyFrameStart(embed(data, (byte) 0x00), GUARD, data.length);
        boolean high = codec.isKeyFrameStart(embed(data, (byte) 0xFF), GUARD, data.length);
        assertThat(high).isEqualTo(low);
        // The same payload behind a plain 12-byte RTP header.
        byte[] packet = new byte[12 + data.length];
        packet[0] = (byte) 0x80;
        System.arraycopy(data, 0, packet, 12, data.length);
        assertThat(codec.isKeyFrameStartPacket(packet, 0, packet.length)).isEqualTo(low);
    }

    private static byte[] embed(byte[] data, byte guard) {
        byte[] b = new byte[GUARD + data.length + GUARD];
        Arrays.fill(b, guard);
        System.arraycopy(data, 0, b, GUARD, data.length);
        return b;
    }
}
