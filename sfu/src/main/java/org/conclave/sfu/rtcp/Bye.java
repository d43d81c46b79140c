package org.conclave.sfu.rtcp;

import org.conclave.sfu.rtp.Bytes;

/** BYE, PT 203 (RFC 3550 §6.6); the optional reason is ignored. Accessors assume {@link RtcpKind#BYE}. */
public final class Bye {
    public static final int MAX_SSRCS = 31;

    private Bye() {
    }

    public static int ssrcCount(byte[] b, int off) {
        return RtcpPacket.count(b, off);
    }

    public static int ssrc(byte[] b, int off, int index) {
        return Bytes.int32(b, off + RtcpPacket.HEADER_LENGTH + 4 * index);
    }

    /** @return the length written, or -1 if it does not fit or there are more than 31 SSRCs */
    public static int write(byte[] buf, int off, int[] ssrcs, int count) {
        int length = RtcpPacket.HEADER_LENGTH + 4 * count;
        if (count < 0 || count > MAX_SSRCS || (count > 0 && count > ssrcs.length)
                || !RtcpPacket.fits(buf, off, length)) {
            return -1;
        }
        RtcpPacket.writeHeader(buf, off, count, RtcpPacket.PT_BYE, length);
        for (int i = 0; i < count; i++) {
            Bytes.putInt32(buf, off + RtcpPacket.HEADER_LENGTH + 4 * i, ssrcs[i]);
        }
        return length;
    }
}
