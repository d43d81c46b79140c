package org.conclave.cluster.wire;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.vertx.core.buffer.Buffer;
import java.util.function.Function;

/**
 * Decoding arbitrary bytes as any kind of message throws nothing but {@link WireException}, and whatever it accepts
 * survives a round trip unchanged.
 */
class ControlCodecFuzzTest {
    @FuzzTest(maxDuration = "30s")
    void decode(byte[] data) {
        Buffer b = Buffer.buffer(data);
        check(b, ControlCodec::decodeRequest, r -> ControlCodec.encode((Request) r));
        check(b, ControlCodec::decodeReply, r -> ControlCodec.encode((Reply) r));
        check(b, ControlCodec::decodeEvent, e -> ControlCodec.encode((NodeEvent) e));
        check(b, ControlCodec::decodeLoad, l -> ControlCodec.encode((NodeLoad) l));
    }

    private static void check(Buffer b, Function<Buffer, Object> decode, Function<Object, Buffer> encode) {
        Object decoded;
        try {
            decoded = decode.apply(b);
        } catch (WireException e) {
            assertThat(e.getMessage()).isNotBlank();
            return;
        }
        assertThat(decode.apply(encode.apply(decoded))).isEqualTo(decoded);
    }
}
