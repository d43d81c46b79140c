package org.conclave.tests.e2ee;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Rebuilds encoded frames from the RTP packets of one SSRC, so the test can hold the SFU's view of a frame against
 * the SFrame library. Opus: one frame per packet. VP8 (RFC 7741): payload descriptors stripped, the packets of one
 * timestamp joined in sequence order from the start of partition 0 (S=1, PID=0) to the marker bit. Frames with a
 * missing packet are left out; duplicates count once.
 */
public final class FrameAssembler {
    private static final int VP8_X = 0x80;
    private static final int VP8_S = 0x10;
    private static final int VP8_PID = 0x07;
    private static final int VP8_I = 0x80;
    private static final int VP8_L = 0x40;
    private static final int VP8_TK = 0x30;
    private static final int VP8_PICTURE_ID_LONG = 0x80;
    private static final int SEQUENCE_SPACE = 1 << 16;

    private FrameAssembler() {}

    public static List<TappedFrame> opus(List<TappedPacket> packets) {
        List<TappedFrame> frames = new ArrayList<>();
        for (TappedPacket p : inSequence(packets).values()) {
            if (p.payloadLength() <= 0) continue; // padding only
            frames.add(frame(p, copyPayload(p, 0)));
        }
        return frames;
    }

    public static List<TappedFrame> vp8(List<TappedPacket> packets) {
        List<TappedFrame> frames = new ArrayList<>();
        ByteArrayOutputStream current = null;
        TappedPacket first = null;
        long expected = -1;
        for (Map.Entry<Long, TappedPacket> e : inSequence(packets).entrySet()) {
            TappedPacket p = e.getValue();
            int descriptor = vp8DescriptorLength(p);
            if (descriptor < 0) {
                current = null;
                continue;
            }
            int flags = p.rtp()[p.payloadOffset()] & 0xFF;
            boolean start = (flags & VP8_S) != 0 && (flags & VP8_PID) == 0;
            if (start) {
                current = new ByteArrayOutputStream();
                first = p;
            } else if (current == null || e.getKey() != expected || p.timestamp() != first.timestamp()) {
                current = null; // a packet of this frame is missing
                continue;
            }
            current.write(p.rtp(), p.payloadOffset() + descriptor, p.payloadLength() - descriptor);
            expected = e.getKey() + 1;
            if (p.marker()) {
                frames.add(frame(first, current.toByteArray()));
                current = null;
            }
        }
        return frames;
    }

    /** Length of the VP8 payload descriptor, or -1 when the payload is too short for it. */
    static int vp8DescriptorLength(TappedPacket p) {
        byte[] b = p.rtp();
        int off = p.payloadOffset();
        int len = p.payloadLength();
        if (len < 1) return -1;
        int n = 1;
        if ((b[off] & VP8_X) != 0) {
            if (len < 2) return -1;
            int x = b[off + 1] & 0xFF;
            n = 2;
            if ((x & VP8_I) != 0) {
                if (len < 3) return -1;
                n += (b[off + 2] & VP8_PICTURE_ID_LONG) != 0 ? 2 : 1;
            }
            if ((x & VP8_L) != 0) n++;
            if ((x & VP8_TK) != 0) n++;
        }
        return n < len ? n : -1;
    }

    /** By extended sequence number (following wrap-around in arrival order); a repeated number keeps the first. */
    static TreeMap<Long, TappedPacket> inSequence(List<TappedPacket> packets) {
        TreeMap<Long, TappedPacket> bySeq = new TreeMap<>();
        long last = -1;
        for (TappedPacket p : packets) {
            long ext;
            if (last < 0) {
                ext = SEQUENCE_SPACE + p.sequence(); // room below for packets that arrive late
            } else {
                int delta = (short) (p.sequence() - (int) (last & 0xFFFF));
                ext = last + delta;
            }
            bySeq.putIfAbsent(ext, p);
            last = Math.max(last, ext);
        }
        return bySeq;
    }

    private static byte[] copyPayload(TappedPacket p, int skip) {
        byte[] out = new byte[p.payloadLength() - skip];
        System.arraycopy(p.rtp(), p.payloadOffset() + skip, out, 0, out.length);
        return out;
    }

    private static TappedFrame frame(TappedPacket p, byte[] data) {
        return new TappedFrame(p.endpointId(), Integer.toUnsignedLong(p.ssrc()), p.timestamp(), data);
    }
}
