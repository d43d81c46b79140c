package org.conclave.sfu.codec;

import static org.assertj.core.api.Assertions.assertThat;

import org.conclave.sfu.rtp.Hex;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** VP8 (RFC 7741) and H.264 (RFC 6184) payload prefixes as Chrome sends them -> key frame start or not. */
class KeyFrameDetectionTest {
    @ParameterizedTest(name = "VP8 {0}")
    @CsvSource(delimiter = ';', value = {
            "simulcast key frame (I M, L, T);  90 e0 80 01 00 20 | b0 f6 00 9d 01 2a 80 02 e0 01; true; true",
            "simulcast delta frame;            90 e0 80 02 01 20 | 31 0b 00 00 10;                false; true",
            "key frame, later packet (S=0);    80 e0 80 01 00 20 | 00 11 22 33;                   false; false",
            "key frame, partition 1 (PID=1);   91 e0 80 01 00 20 | b0 f6 00;                      false; false",
            "no extensions;                    10 | b0 f6 00 9d 01 2a;                            true; true",
            "7-bit picture id;                 90 80 05 | b0 f6 00;                               true; true",
            "K bit only;                       90 10 20 | b0;                                     true; true",
            "non-reference bit set;            30 | b0 f6 00;                                     true; true",
            "truncated extension;              90 e0 80;                                          false; false",
            "truncated picture id;             90 80;                                             false; false",
            "descriptor without payload;       90 80 05;                                          false; false",
            "empty;                            '';                                                false; false",
    })
    void vp8(String name, String hex, boolean key, boolean frameStart) {
        byte[] b = Hex.embedded(5, hex, 3);
        int len = b.length - 8;
        assertThat(Vp8Payload.isKeyFrameStart(b, 5, len)).isEqualTo(key);
        assertThat(Vp8Payload.isFrameStart(b, 5, len)).isEqualTo(frameStart);
        assertThat(CodecFamily.VP8.isKeyFrameStart(b, 5, len)).isEqualTo(key);
    }

    @ParameterizedTest(name = "H264 {0}")
    @CsvSource(delimiter = ';', value = {
            "IDR slice;                      65 88 84 00 33;                                       true",
            "SPS;                            67 42 c0 1f da;                                       true",
            "PPS alone;                      68 ce 3c 80;                                          false",
            "non-IDR slice;                  41 9a 02 04;                                          false",
            "STAP-A SPS + PPS;               78 00 05 67 42 c0 1f da | 00 04 68 ce 3c 80;          true",
            "STAP-A PPS + IDR;               78 00 04 68 ce 3c 80 | 00 03 65 88 84;                true",
            "STAP-A PPS + SEI;               78 00 04 68 ce 3c 80 | 00 02 06 05;                   false",
            "STAP-A size beyond the end;     78 00 10 67 42;                                       false",
            "STAP-A zero size;               78 00 00 00 03 65 88 84;                              false",
            "STAP-A dangling size byte;      78 00 02 68 ce 00;                                    false",
            "FU-A IDR start;                 7c 85 88 80 40;                                       true",
            "FU-A IDR middle;                7c 05 11 22;                                          false",
            "FU-A IDR end;                   7c 45 11 22;                                          false",
            "FU-A non-IDR start;             7c 81 9a 02;                                          false",
            "FU-A without header;            7c;                                                   false",
            "STAP-B;                         79 00 01 00 03 65 88 84;                              false",
            "forbidden type 0;               00 65;                                                false",
            "empty;                          '';                                                   false",
    })
    void h264(String name, String hex, boolean key) {
        byte[] b = Hex.embedded(2, hex, 4);
        assertThat(H264Payload.isKeyFrameStart(b, 2, b.length - 6)).isEqualTo(key);
        assertThat(CodecFamily.H264.isKeyFrameStart(b, 2, b.length - 6)).isEqualTo(key);
    }

    @Test
    void wholeRtpPacketsSkipHeaderExtensionsAndPadding() {
        // V=2 P=1 X=1, PT 96, one-byte extension (4 bytes), VP8 key frame payload, 2 bytes of padding.
        byte[] key = Hex.bytes("b0 60 00 01 00 00 00 00 00 00 00 0a | be de 00 01 10 aa 00 00 | 10 b0 f6 00 | 00 02");
        assertThat(CodecFamily.VP8.isKeyFrameStartPacket(key, 0, key.length)).isTrue();
        // The same packet with the VP8 payload header's P bit set: a delta frame.
        key[21] = (byte) 0xb1;
        assertThat(CodecFamily.VP8.isKeyFrameStartPacket(key, 0, key.length)).isFalse();
        // Padding (3 bytes) that leaves only the descriptor: the key-frame-looking byte is padding.
        byte[] onlyDescriptor = Hex.bytes("a0 60 00 01 00 00 00 00 00 00 00 0a | 10 b0 00 03");
        assertThat(CodecFamily.VP8.isKeyFrameStartPacket(onlyDescriptor, 0, onlyDescriptor.length)).isFalse();
        assertThat(CodecFamily.H264.isKeyFrameStartPacket(new byte[5], 0, 5)).isFalse();
        assertThat(CodecFamily.OTHER.isKeyFrameStartPacket(key, 0, key.length)).isFalse();
    }

    @ParameterizedTest
    @CsvSource({"VP8, VP8", "vp8, VP8", "H264, H264", "h264, H264", "VP9, OTHER", "AV1, OTHER", "opus, OPUS",
            "red, OTHER"})
    void codecFromName(String name, CodecFamily codec) {
        assertThat(CodecId.of(name, 90_000, null).family()).isEqualTo(codec);
    }
}
