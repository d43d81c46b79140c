package org.conclave.keyexchange.frame;

import static org.assertj.core.api.Assertions.assertThat;
import static org.conclave.keyexchange.testing.Hex.bytes;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Table: codec, frame bytes (hex) -> readable prefix length and where the authenticated part of it starts. */
class ReadablePrefixTest {

    @ParameterizedTest(name = "{0} {1} -> {2} from {3}")
    @CsvSource({
            // VP8 key frame: frame tag 0x9d012a start code, 640x480 (RFC 6386 §9.1); P bit (byte 0, bit 0) clear.
            "VP8, '50 42 00 9d 01 2a 80 02 e0 01 00 11 22 33', 10, 0",
            // VP8 delta (interframe): P bit set.
            "VP8, '31 0d 00 aa bb cc dd', 3, 0",
            "OPUS, 'fc ff fe 01', 1, 0",
            "WHOLE_FRAME, '50 42 00 9d 01 2a', 0, 0",
            // H264 IDR access unit: SPS (67), PPS (68), IDR slice (65) at offset 23 -> prefix 25, metadata from 23.
            "H264, '00 00 00 01 67 42 c0 1f 8c 8d 40 00 00 00 01 68 ce 3c 80 00 00 00 01 65 88 84 00 ff', 25, 23",
            // 3-byte start code, non-IDR slice (41 = nal_ref_idc 2, type 1).
            "H264, '00 00 01 41 9a 02 03', 5, 3",
            // SEI (06) before the slice, then type 1 with nal_ref_idc 0.
            "H264, '00 00 00 01 06 05 01 80 00 00 01 01 e0 00', 13, 11",
            // Only parameter sets: no slice, no prefix.
            "H264, '00 00 00 01 67 42 00 00 00 01 68 ce', 0, 0",
            // Type 5 bytes not after a start code do not count.
            "H264, '65 88 00 01 65', 0, 0",
            // Start code at the very end with no NAL header.
            "H264, 'aa 00 00 01', 0, 0",
    })
    void table(FrameCodec codec, String hex, int prefix, int metadataStart) {
        byte[] frame = bytes(hex);
        assertThat(ReadablePrefix.length(codec, frame, 0, frame.length)).isEqualTo(prefix);
        assertThat(ReadablePrefix.metadataStart(codec, frame, 0, frame.length)).isEqualTo(metadataStart);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"'50 42 00', true", "'51 42 00', false", "'00', true", "'31', false"})
    void vp8KeyFrameBit(String hex, boolean key) {
        assertThat(ReadablePrefix.isVp8KeyFrame(bytes(hex), 0)).isEqualTo(key);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"video/VP8, VP8", "audio/opus, OPUS", "video/H264, H264", "video/VP9, WHOLE_FRAME",
            "video/AV1, WHOLE_FRAME", "audio/PCMU, WHOLE_FRAME", "VP8, VP8"})
    void codecFromMimeType(String mime, FrameCodec codec) {
        assertThat(FrameCodec.fromMimeType(mime)).isEqualTo(codec);
    }
}
