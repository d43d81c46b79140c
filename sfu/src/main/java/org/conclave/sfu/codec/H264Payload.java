package org.conclave.sfu.codec;

/**
 * H.264 RTP payload (RFC 6184 §5.6-5.8): a key frame starts with an IDR slice (NAL type 5) or the SPS (7) sent before
 * it, as a single NAL unit, inside a STAP-A (24), or as the start fragment of an FU-A (28). Static, safe on any input,
 * no allocation.
 */
public final class H264Payload {
    static final int NAL_IDR = 5;
    static final int NAL_SPS = 7;
    static final int STAP_A = 24;
    static final int FU_A = 28;
    private static final int TYPE_MASK = 0x1F;
    private static final int FU_START = 0x80;
    private static final int MAX_SINGLE_NAL_TYPE = 23;

    private H264Payload() {
    }

    /** Whether this RTP payload carries the start of a key frame. */
    public static boolean isKeyFrameStart(byte[] b, int off, int len) {
        if (b == null || off < 0 || len < 1 || len > b.length - off) {
            return false;
        }
        int type = b[off] & TYPE_MASK;
        if (type >= 1 && type <= MAX_SINGLE_NAL_TYPE) {
            return isKeyNal(type);
        }
        if (type == STAP_A) {
            int end = off + len;
            int pos = off + 1;
            while (end - pos >= 2) {
                int size = ((b[pos] & 0xFF) << 8) | (b[pos + 1] & 0xFF);
                pos += 2;
                if (size == 0 || size > end - pos) {
                    return false;
                }
                if (isKeyNal(b[pos] & TYPE_MASK)) {
                    return true;
                }
                pos += size;
            }
            return false;
        }
        if (type == FU_A) {
            return len >= 2 && (b[off + 1] & FU_START) != 0 && isKeyNal(b[off + 1] & TYPE_MASK);
        }
        return false;
    }

    private static boolean isKeyNal(int type) {
        return type == NAL_IDR || type == NAL_SPS;
    }
}
