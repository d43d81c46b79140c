package org.conclave.sfu.transport;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Fuzz target for RFC 4571 framing of untrusted TCP bytes: whatever the bytes and however a socket splits them, the
 * reader never throws, never hands out a frame longer than its limit or outside its buffer, and yields exactly the
 * frames a straightforward parse of the whole stream finds, up to the first over-long length (where it stops).
 */
class FrameReaderFuzzTest {
    @FuzzTest(maxDuration = "60s")
    void framesMatchAWholeStreamParse(FuzzedDataProvider data) {
        int max = data.consumeInt(1, 1500);
        int chunk = data.consumeInt(1, 4000);
        boolean viaChannelBuffer = data.consumeBoolean();
        byte[] stream = data.consumeRemainingAsBytes();

        FrameReader reader = new FrameReader(max);
        ByteBuffer expected = ByteBuffer.wrap(stream);
        int pos = 0;
        boolean stopped = false;
        while (!stopped) {
            int n = Math.min(chunk, stream.length - pos);
            if (viaChannelBuffer) {
                ByteBuffer target = reader.readTarget();
                n = Math.min(n, target.remaining());
                target.put(stream, pos, n);
                reader.filled();
            } else {
                n = reader.offer(stream, pos, n);
            }
            pos += n;
            int len;
            while ((len = reader.next()) >= 0) {
                assertThat(len).isLessThanOrEqualTo(max);
                assertThat(reader.frameOffset() + len).isLessThanOrEqualTo(reader.array().length);
                int want = expected.getShort() & 0xFFFF;
                assertThat(len).isEqualTo(want);
                byte[] got = Arrays.copyOfRange(reader.array(), reader.frameOffset(), reader.frameOffset() + len);
                byte[] wanted = new byte[want];
                expected.get(wanted);
                assertThat(got).isEqualTo(wanted);
            }
            if (len == FrameReader.TOO_LONG) {
                assertThat(expected.remaining()).isGreaterThanOrEqualTo(2);
                assertThat(expected.getShort(expected.position()) & 0xFFFF).isGreaterThan(max);
                stopped = true;
            } else if (n == 0) {
                // Nothing more fits or nothing is left: then what remains is an incomplete frame.
                assertThat(pos).isEqualTo(stream.length);
                int left = expected.remaining();
                assertThat(left < 2 || left - 2 < (expected.getShort(expected.position()) & 0xFFFF)).isTrue();
                stopped = true;
            }
        }
    }
}
