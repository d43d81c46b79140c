package org.conclave.keyexchange.frame;

/**
 * How many leading bytes of an encoded frame stay in clear so that an SFU (and the receiving RTP depacketizer) can
 * still read what it needs, computed from those clear bytes alone so sender, SFU and receiver all agree:
 * <ul>
 *   <li>VP8: 10 bytes for a key frame (3-byte frame tag, start code, width, height), 3 for a delta frame (frame tag).
 *       Key frame = bit 0 of byte 0 (P, "inverse key frame") is 0.</li>
 *   <li>Opus: 1 byte, the TOC.</li>
 *   <li>H264 (Annex B byte stream): everything up to and including the first VCL NAL unit's header byte (type 1,
 *       non-IDR slice, or 5, IDR slice) plus one byte of its slice header, i.e. start codes, SPS, PPS, SEI before it stay
 *       readable. A frame without such a NAL unit has no prefix.</li>
 *   <li>{@link FrameCodec#WHOLE_FRAME}: none.</li>
 * </ul>
 * The bytes authenticated as SFrame metadata are the prefix from {@link #metadataStart} on: the whole prefix, except
 * for H264 where only the slice NAL header and slice byte are (a receiver's depacketizer may rewrite start codes and
 * parameter sets before it). The same rules are in {@code js/frame.mjs}.
 */
public final class ReadablePrefix {
    public static final int VP8_KEY_FRAME_BYTES = 10;
    public static final int VP8_DELTA_FRAME_BYTES = 3;
    public static final int OPUS_TOC_BYTES = 1;
    /** NAL header byte plus the first slice-header byte (LiveKit's choice; libwebrtc's depacketizer peeks there). */
    public static final int H264_SLICE_BYTES = 2;
    private static final int H264_NAL_TYPE_MASK = 0x1F;
    private static final int H264_SLICE_NON_IDR = 1;
    private static final int H264_SLICE_IDR = 5;

    private ReadablePrefix() {
    }

    /**
     * Length of the clear prefix of {@code frame[off, off+len)} for {@code codec}. May exceed {@code len} for a frame
     * too short for its codec (an encoder never produces one; such frames are refused).
     */
    public static int length(FrameCodec codec, byte[] frame, int off, int len) {
        return switch (codec) {
            case VP8 -> len > 0 && isVp8KeyFrame(frame, off) ? VP8_KEY_FRAME_BYTES : VP8_DELTA_FRAME_BYTES;
            case OPUS -> OPUS_TOC_BYTES;
            case H264 -> {
                int nal = firstSliceNal(frame, off, len);
                yield nal < 0 ? 0 : nal + H264_SLICE_BYTES;
            }
            case WHOLE_FRAME -> 0;
        };
    }

    /** Offset (from the frame start) where the authenticated part of the prefix begins. */
    public static int metadataStart(FrameCodec codec, byte[] frame, int off, int len) {
        if (codec != FrameCodec.H264) {
            return 0;
        }
        int nal = firstSliceNal(frame, off, len);
        return nal < 0 ? 0 : nal;
    }

    /** VP8 key frame: P bit (bit 0 of the first byte) clear (RFC 6386 §9.1). */
    public static boolean isVp8KeyFrame(byte[] frame, int off) {
        return (frame[off] & 0x01) == 0;
    }

    /**
     * Offset (from the frame start) of the header byte of the first NAL unit of type 1 or 5 that follows a
     * {@code 00 00 01} start code, or -1.
     */
    public static int firstSliceNal(byte[] frame, int off, int len) {
        int zeros = 0;
        for (int i = 0; i < len; i++) {
            int b = frame[off + i] & 0xFF;
            if (b == 0x01 && zeros >= 2 && i + 1 < len) {
                int type = frame[off + i + 1] & H264_NAL_TYPE_MASK;
                if (type == H264_SLICE_NON_IDR || type == H264_SLICE_IDR) {
                    return i + 1;
                }
            }
            zeros = b == 0 ? zeros + 1 : 0;
        }
        return -1;
    }
}
