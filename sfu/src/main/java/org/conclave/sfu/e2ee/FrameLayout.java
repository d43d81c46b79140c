package org.conclave.sfu.e2ee;

/**
 * Where the SFrame header of an end-to-end-encrypted frame sits inside an RTP payload, per codec, without any key
 * (the layout is in docs/protocol.md): VP8 after the payload descriptor and 10 clear bytes of a key frame or 3 of a
 * delta frame; Opus after the 1-byte TOC; H264 after the slice NAL header and one slice byte (emulation-escaped).
 * All methods are allocation-free and never read outside {@code [off, off + len)}.
 */
public final class FrameLayout {
    /** Packets that are not the first of a frame carry no header to check. */
    public static final int NOT_FRAME_START = -1;
    /** The payload is too short or inconsistent for the codec. */
    public static final int MALFORMED = -2;

    static final int VP8_KEY_FRAME_PREFIX = 10;
    static final int VP8_DELTA_FRAME_PREFIX = 3;
    static final int OPUS_PREFIX = 1;

    public enum Codec { VP8, OPUS, H264, OTHER }

    private FrameLayout() {}

    public static Codec codecOf(String codecKey) {
        if (codecKey.startsWith("vp8/")) return Codec.VP8;
        if (codecKey.startsWith("opus/")) return Codec.OPUS;
        if (codecKey.startsWith("h264/")) return Codec.H264;
        return Codec.OTHER;
    }

    /**
     * The offset (absolute) of the SFrame header in this RTP payload, {@link #NOT_FRAME_START} when the packet
     * continues a frame, or {@link #MALFORMED}. For H264 the header bytes there are emulation-escaped.
     */
    public static int headerOffset(Codec codec, byte[] b, int off, int len) {
        return switch (codec) {
            case OPUS -> len > OPUS_PREFIX ? off + OPUS_PREFIX : MALFORMED;
            case VP8 -> vp8(b, off, len);
            case H264 -> h264(b, off, len);
            case OTHER -> len > 0 ? off : MALFORMED;
        };
    }

    /** RFC 7741 payload descriptor; a frame starts where S=1 and PID=0. */
    private static int vp8(byte[] b, int off, int len) {
        int end = off + len;
        int p = off;
        if (p >= end) return MALFORMED;
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
        return header < end ? header : MALFORMED;
    }

    /** RFC 6184: a single slice NAL (type 1 or 5) or the first FU-A fragment of one starts the encrypted part. */
    private static int h264(byte[] b, int off, int len) {
        if (len < 1) return MALFORMED;
        int type = b[off] & 0x1F;
        if (type == 1 || type == 5) return len > 2 ? off + 2 : MALFORMED;
        if (type == 28) { // FU-A
            if (len < 2) return MALFORMED;
            int fu = b[off + 1] & 0xFF;
            int inner = fu & 0x1F;
            boolean start = (fu & 0x80) != 0;
            if (!start || (inner != 1 && inner != 5)) return NOT_FRAME_START;
            return len > 3 ? off + 3 : MALFORMED;
        }
        // Parameter sets (STAP-A of SPS/PPS), SEI: in clear by design.
        return NOT_FRAME_START;
    }
}
