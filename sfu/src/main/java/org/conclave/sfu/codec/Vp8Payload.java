package org.conclave.sfu.codec;

/**
 * VP8 RTP payload (RFC 7741 §4.2-4.3): the payload descriptor (X, N, S, PID; extensions I, L, T/K) and the first
 * byte of the VP8 payload header, whose P bit is 0 on a key frame. That byte is only meaningful at the start of
 * partition 0 (S = 1, PID = 0), i.e. on the first packet of a frame. E2EE schemes for SFUs (Jitsi's, LiveKit's,
 * Element Call's) leave these bytes unencrypted for this. Static, safe on any input, no allocation.
 */
public final class Vp8Payload {
    private static final int X_BIT = 0x80;
    private static final int S_BIT = 0x10;
    private static final int PID_MASK = 0x07;
    private static final int I_BIT = 0x80;
    private static final int L_BIT = 0x40;
    private static final int T_BIT = 0x20;
    private static final int K_BIT = 0x10;
    private static final int M_BIT = 0x80;
    private static final int P_BIT = 0x01;

    private Vp8Payload() {
    }

    /** Whether this RTP payload is the first packet of a VP8 key frame. */
    public static boolean isKeyFrameStart(byte[] b, int off, int len) {
        int start = payloadHeaderOffset(b, off, len);
        return start >= 0 && isStartOfPartitionZero(b, off) && (b[start] & P_BIT) == 0;
    }

    /** Whether this packet starts a frame (S = 1 and PID = 0); false on a truncated descriptor. */
    public static boolean isFrameStart(byte[] b, int off, int len) {
        return payloadHeaderOffset(b, off, len) >= 0 && isStartOfPartitionZero(b, off);
    }

    /**
     * Skips the payload descriptor.
     *
     * @return the absolute offset of the first byte after it, or -1 if the descriptor is truncated or nothing follows
     */
    static int payloadHeaderOffset(byte[] b, int off, int len) {
        if (b == null || off < 0 || len < 1 || len > b.length - off) {
            return -1;
        }
        int end = off + len;
        int pos = off + 1;
        if ((b[off] & X_BIT) != 0) {
            if (pos >= end) {
                return -1;
            }
            int ext = b[pos++];
            if ((ext & I_BIT) != 0) {
                if (pos >= end) {
                    return -1;
                }
                pos += (b[pos] & M_BIT) != 0 ? 2 : 1;
            }
            if ((ext & L_BIT) != 0) {
                pos++;
            }
            if ((ext & (T_BIT | K_BIT)) != 0) {
                pos++;
            }
        }
        return pos < end ? pos : -1;
    }

    private static boolean isStartOfPartitionZero(byte[] b, int off) {
        return (b[off] & S_BIT) != 0 && (b[off] & PID_MASK) == 0;
    }
}
