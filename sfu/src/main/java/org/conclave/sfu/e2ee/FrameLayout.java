package org.conclave.sfu.e2ee;

import org.conclave.sfu.codec.CodecFamily;

/**
 * Where the SFrame header of an end-to-end-encrypted frame sits inside an RTP payload, per codec, without any key
 * (the layout is in docs/protocol.md): VP8 after the payload descriptor and 10 clear bytes of a key frame or 3 of a
 * delta frame, on the packet that starts the frame (S=1, PID=0); Opus after the 1-byte TOC of every packet; H264 after
 * the slice NAL header and one slice byte (emulation-escaped), in a single NAL unit, the first FU-A fragment of a slice,
 * or the slice inside a STAP-A. All methods are allocation-free and never read outside {@code [off, off + len)}.
 */
public final class FrameLayout {
    /** Packets that are not the first of a frame carry no header to check (continuations, H264 parameter sets). */
    public static final long NOT_FRAME_START = -1;
    /** The payload is too short or inconsistent for the codec. */
    public static final long MALFORMED = -2;
    /** No payload at all (padding): no frame, no evidence either way. */
    public static final long EMPTY = -3;

    static final int VP8_KEY_FRAME_PREFIX = 10;
    static final int VP8_DELTA_FRAME_PREFIX = 3;
    static final int OPUS_PREFIX = 1;
    /** The NAL header byte and one slice-header byte stay clear (keyexchange's ReadablePrefix). */
    static final int H264_SLICE_PREFIX = 2;
    private static final int H264_STAP_A = 24;
    private static final int H264_FU_A = 28;

    private FrameLayout() {}

    /**
     * Where the SFrame header of this RTP payload is: {@link #NOT_FRAME_START}, {@link #MALFORMED}, {@link #EMPTY},
     * or a location {@code (end << 32) | offset} (absolute offsets; read them with {@link #offset} and {@link #end}):
     * the header starts at offset and the encrypted part ends at end. For H264 the bytes there are emulation-escaped.
     */
    public static long locate(CodecFamily codec, byte[] b, int off, int len) {
        if (len <= 0) return EMPTY;
        return switch (codec) {
            case OPUS -> len > OPUS_PREFIX ? at(off + OPUS_PREFIX, off + len) : MALFORMED;
            case VP8 -> vp8(b, off, len);
            case H264 -> h264(b, off, len);
            case OTHER -> at(off, off + len);
        };
    }

    public static int offset(long location) {
        return (int) location;
    }

    public static int end(long location) {
        return (int) (location >>> 32);
    }

    private static long at(int offset, int end) {
        return ((long) end << 32) | offset;
    }

    /** RFC 7741 payload descriptor; a frame starts where S=1 and PID=0. */
    private static long vp8(byte[] b, int off, int len) {
        int end = off + len;
        int p = off;
        int first = b[p++] & 0xFF;
        boolean extended = (first & 0x80) != 0;
        boolean start = (first & 0x10) != 0;
        int pid = first & 0x07;
        if (extended) {
            if (p >= end) return MALFORMED;
            int x = b[p++] & 0xFF;
            if ((x & 0x80) != 0) { // I: picture id, 7 or 15 bits
                if (p >= end) return MALFORMED;
                p += (b[p] & 0x80) != 0 ? 2 : 1;
            }
            if ((x & 0x40) != 0) p++; // L: TL0PICIDX
            if ((x & 0x30) != 0) p++; // T or K: TID/Y/KEYIDX
        }
        if (p >= end) return MALFORMED;
        if (!start || pid != 0) return NOT_FRAME_START;
        boolean keyFrame = (b[p] & 0x01) == 0;
        int header = p + (keyFrame ? VP8_KEY_FRAME_PREFIX : VP8_DELTA_FRAME_PREFIX);
        return header < end ? at(header, end) : MALFORMED;
    }

    /** RFC 6184: the first slice NAL (type 1 or 5) of the packet, whole, as an FU-A start, or in a STAP-A. */
    private static long h264(byte[] b, int off, int len) {
        int end = off + len;
        int type = b[off] & 0x1F;
        if (isSlice(type)) return len > H264_SLICE_PREFIX ? at(off + H264_SLICE_PREFIX, end) : MALFORMED;
        if (type == H264_FU_A) {
            if (len < 2) return MALFORMED;
            int fu = b[off + 1] & 0xFF;
            if ((fu & 0x80) == 0 || !isSlice(fu & 0x1F)) return NOT_FRAME_START;
            // FU indicator, FU header (it carries the NAL type), one slice byte.
            return len > 3 ? at(off + 3, end) : MALFORMED;
        }
        if (type == H264_STAP_A) {
            int p = off + 1;
            while (p + 2 < end) {
                int size = ((b[p] & 0xFF) << 8) | (b[p + 1] & 0xFF);
                int nal = p + 2;
                if (size == 0 || nal + size > end) return MALFORMED;
                if (isSlice(b[nal] & 0x1F)) {
                    return size > H264_SLICE_PREFIX ? at(nal + H264_SLICE_PREFIX, nal + size) : MALFORMED;
                }
                p = nal + size;
            }
            return p == end ? NOT_FRAME_START : MALFORMED;
        }
        // Parameter sets, SEI, access unit delimiters: in clear by design.
        return NOT_FRAME_START;
    }

    private static boolean isSlice(int nalType) {
        return nalType == 1 || nalType == 5;
    }
}
