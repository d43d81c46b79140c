package org.conclave.tests.client;

/**
 * VP8 RTP payloads (RFC 7741) as our simulcast sender writes them: a payload descriptor with a 15-bit PictureID,
 * on a frame's first packet the VP8 payload header (P bit 0 on key frames, plus the key frame's start code and size),
 * then a tag naming layer, frame number and packet index/count, so receivers can tell which layer and which frames
 * they got, and whether a frame is complete. The rest is filler.
 */
public final class Vp8Frames {
    /** Descriptor (4) + VP8 key-frame header (10) + tag (11). */
    public static final int MIN_FIRST_PACKET = 25;
    private static final int DESCRIPTOR = 4;
    private static final byte TAG_0 = 'C';
    private static final byte TAG_1 = 'V';
    private static final int TAG_LENGTH = 11;

    /** What a packet's tag says. */
    public record Tag(int layer, int frame, int index, int count, boolean keyFrame) {}

    private Vp8Frames() {}

    /**
     * Writes packet {@code index} of {@code count} of a frame into {@code out}, {@code size} bytes in all (at least
     * the headers). Returns the length written.
     */
    public static int write(byte[] out, int off, int size, int layer, int frame, int pictureId, int index, int count,
            boolean keyFrame, int width, int height) {
        boolean first = index == 0;
        int p = off;
        out[p++] = (byte) (0x80 | (first ? 0x10 : 0)); // X, S on the first packet, PID 0
        out[p++] = (byte) 0x80; // I: PictureID present
        out[p++] = (byte) (0x80 | ((pictureId >> 8) & 0x7F)); // M: 15-bit PictureID
        out[p++] = (byte) pictureId;
        if (first) {
            out[p++] = (byte) (keyFrame ? 0x10 : 0x11); // show_frame, version 0, P = 0 for key frames
            out[p++] = 0;
            out[p++] = 0;
            if (keyFrame) {
                out[p++] = (byte) 0x9d;
                out[p++] = 0x01;
                out[p++] = 0x2a;
                out[p++] = (byte) width;
                out[p++] = (byte) ((width >> 8) & 0x3F);
                out[p++] = (byte) height;
                out[p++] = (byte) ((height >> 8) & 0x3F);
            }
        }
        out[p++] = TAG_0;
        out[p++] = TAG_1;
        out[p++] = (byte) layer;
        putInt(out, p, frame);
        p += 4;
        out[p++] = (byte) (index >> 8);
        out[p++] = (byte) index;
        out[p++] = (byte) (count >> 8);
        out[p++] = (byte) count;
        int end = off + Math.max(size, p - off);
        java.util.Arrays.fill(out, p, end, (byte) 0);
        return end - off;
    }

    /** The tag of a payload we wrote, or null when it is not one of ours. */
    public static Tag read(byte[] b, int off, int len) {
        if (len < DESCRIPTOR + TAG_LENGTH) return null;
        boolean first = (b[off] & 0x10) != 0;
        int p = off + DESCRIPTOR;
        boolean key = false;
        if (first) {
            key = (b[p] & 0x01) == 0;
            p += key ? 10 : 3;
        }
        if (p + TAG_LENGTH > off + len || b[p] != TAG_0 || b[p + 1] != TAG_1) return null;
        int layer = b[p + 2] & 0xFF;
        int frame = ((b[p + 3] & 0xFF) << 24) | ((b[p + 4] & 0xFF) << 16) | ((b[p + 5] & 0xFF) << 8) | (b[p + 6] & 0xFF);
        int index = ((b[p + 7] & 0xFF) << 8) | (b[p + 8] & 0xFF);
        int count = ((b[p + 9] & 0xFF) << 8) | (b[p + 10] & 0xFF);
        return new Tag(layer, frame, index, count, key);
    }

    private static void putInt(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
    }
}
