package org.conclave.tests.client;

import static org.assertj.core.api.Assertions.assertThat;

import org.conclave.sfu.codec.Vp8Payload;
import org.junit.jupiter.api.Test;

/** Our VP8 payloads are what the SFU's key-frame detection expects, and the tag reads back. */
class Vp8FramesTest {
    @Test
    void keyFrameStartIsAKeyFrameToTheSfuAndTagsReadBack() {
        byte[] b = new byte[1200];
        int n = Vp8Frames.write(b, 0, 1000, 1, 77, 300, 0, 3, true, 1280, 720);
        assertThat(n).isEqualTo(1000);
        assertThat(Vp8Payload.isKeyFrameStart(b, 0, n)).isTrue();
        assertThat(Vp8Frames.read(b, 0, n)).isEqualTo(new Vp8Frames.Tag(1, 77, 0, 3, true));

        n = Vp8Frames.write(b, 0, 500, 0, 78, 301, 0, 2, false, 320, 180);
        assertThat(Vp8Payload.isFrameStart(b, 0, n)).isTrue();
        assertThat(Vp8Payload.isKeyFrameStart(b, 0, n)).isFalse();
        assertThat(Vp8Frames.read(b, 0, n)).isEqualTo(new Vp8Frames.Tag(0, 78, 0, 2, false));

        n = Vp8Frames.write(b, 0, 10, 0, 78, 301, 1, 2, false, 320, 180);
        assertThat(n).as("never shorter than its headers").isEqualTo(15);
        assertThat(Vp8Payload.isFrameStart(b, 0, n)).isFalse();
        assertThat(Vp8Frames.read(b, 0, n)).isEqualTo(new Vp8Frames.Tag(0, 78, 1, 2, false));
    }

    @Test
    void foreignPayloadHasNoTag() {
        assertThat(Vp8Frames.read(new byte[40], 0, 40)).isNull();
        assertThat(Vp8Frames.read(new byte[3], 0, 3)).isNull();
    }
}
