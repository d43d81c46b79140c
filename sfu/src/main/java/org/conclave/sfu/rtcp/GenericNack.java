package org.conclave.sfu.rtcp;

import org.conclave.sfu.rtp.Bytes;

/**
 * Generic NACK, RTPFB FMT 1 (RFC 4585 §6.2.1): FCI items of PID (lost sequence number) and BLP (bit i set: PID+i+1
 * also lost). Accessors assume {@link RtcpKind#NACK}.
 */
public final class GenericNack {
    public static final int ITEM_LENGTH = 4;
    private static final int BLP_BITS = 16;

    private GenericNack() {
    }

    public static int itemCount(byte[] b, int off, int len) {
        return RtcpFeedback.fciLength(b, off, len) / ITEM_LENGTH;
    }

    public static int pid(byte[] b, int off, int index) {
        return Bytes.uint16(b, itemOffset(off, index));
    }

    public static int blp(byte[] b, int off, int index) {
        return Bytes.uint16(b, itemOffset(off, index) + 2);
    }

    /**
     * Expands the items into lost sequence numbers, in packet order.
     *
     * @return how many were stored in {@code out} (at most {@code out.length})
     */
    public static int lostSequences(byte[] b, int off, int len, int[] out) {
        int n = 0;
        int items = itemCount(b, off, len);
        for (int i = 0; i < items && n < out.length; i++) {
            int pid = pid(b, off, i);
            int blp = blp(b, off, i);
            out[n++] = pid;
            for (int bit = 0; bit < BLP_BITS && n < out.length; bit++) {
                if ((blp & (1 << bit)) != 0) {
                    out[n++] = (pid + bit + 1) & 0xFFFF;
                }
            }
        }
        return n;
    }

    /**
     * Writes a NACK for {@code count} lost sequence numbers. Any order works; ascending order (wrap-aware) packs
     * neighbours into one item's BLP, and a repeat of the current PID is skipped.
     *
     * @return the length written, or -1 (nothing usable written) if it does not fit or {@code count} is not positive
     */
    public static int write(byte[] buf, int off, int senderSsrc, int mediaSsrc, int[] lostSequences, int count) {
        if (count <= 0 || count > lostSequences.length
                || !RtcpPacket.fits(buf, off, RtcpPacket.FEEDBACK_HEADER_LENGTH + ITEM_LENGTH)) {
            return -1;
        }
        int room = (buf.length - off - RtcpPacket.FEEDBACK_HEADER_LENGTH) / ITEM_LENGTH;
        int items = 0;
        int pid = lostSequences[0] & 0xFFFF;
        int blp = 0;
        for (int i = 1; i <= count; i++) {
            int distance = i < count ? ((lostSequences[i] & 0xFFFF) - pid) & 0xFFFF : -1;
            if (distance == 0) {
                continue;
            }
            if (distance >= 1 && distance <= BLP_BITS) {
                blp |= 1 << (distance - 1);
                continue;
            }
            if (items == room) {
                return -1;
            }
            int at = itemOffset(off, items++);
            Bytes.putUint16(buf, at, pid);
            Bytes.putUint16(buf, at + 2, blp);
            if (i < count) {
                pid = lostSequences[i] & 0xFFFF;
                blp = 0;
            }
        }
        int length = RtcpPacket.FEEDBACK_HEADER_LENGTH + items * ITEM_LENGTH;
        RtcpFeedback.writeHeader(buf, off, RtcpPacket.FMT_NACK, RtcpPacket.PT_RTPFB, length, senderSsrc, mediaSsrc);
        return length;
    }

    private static int itemOffset(int off, int index) {
        return off + RtcpPacket.FEEDBACK_HEADER_LENGTH + index * ITEM_LENGTH;
    }
}
