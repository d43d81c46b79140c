package org.conclave.cluster.wire;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.vertx.core.buffer.Buffer;
import java.io.InputStream;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

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

    /** The seeds reach the accepting path of each kind (a seed that no longer decodes would fuzz only the errors). */
    @Test
    void seedsDecode() throws Exception {
        assertThat(ControlCodec.decodeRequest(seed("allocate"))).isInstanceOf(Request.Allocate.class);
        assertThat(ControlCodec.decodeRequest(seed("close"))).isInstanceOf(Request.Close.class);
        assertThat(ControlCodec.decodeRequest(seed("drain"))).isInstanceOf(Request.SetDraining.class);
        assertThat(ControlCodec.decodeRequest(seed("metadata"))).isInstanceOf(Request.ApplyOffer.class);
        assertThat(ControlCodec.decodeReply(seed("refused"))).isInstanceOf(Reply.Refused.class);
        assertThat(ControlCodec.decodeReply(seed("loaded"))).isInstanceOf(Reply.Loaded.class);
        assertThat(ControlCodec.decodeEvent(seed("closed-event"))).isInstanceOf(NodeEvent.Closed.class);
        assertThat(ControlCodec.decodeLoad(seed("heartbeat")).sequence()).isEqualTo(3);
    }

    private static Buffer seed(String name) throws Exception {
        try (InputStream in = ControlCodecFuzzTest.class.getResourceAsStream("ControlCodecFuzzTestInputs/decode/"
                + name)) {
            return Buffer.buffer(in.readAllBytes());
        }
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
