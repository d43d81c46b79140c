package org.conclave.sfu.e2ee;

import java.io.ByteArrayOutputStream;
import java.util.Random;

/** RTP payloads as an encrypting client's packetizer makes them, for the guard's tests. */
final class SFramePackets {
    static final long FIRST = (1L << 24) + 12_345;
    private final Random random = new Random(7);

    static byte[] header(int kid, long ctr) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int ctrBytes = ctr < 8 ? 0 : (64 - Long.numberOfLeadingZeros(ctr) + 7) / 8;
        int k = kid < 8 ? kid << 4 : 0x80;
        int c = ctr < 8 ? (int) ctr : 0x08 | (ctrBytes - 1);
        out.write(k | c);
        if (kid >= 8) out.write(kid);
        for (int i = ctrBytes - 1; i >= 0; i--) out.write((int) (ctr >>> (8 * i)));
        return out.toByteArray();
    }

    /** Opus: TOC, header, ciphertext and tag. */
    byte[] opus(int kid, long ctr) {
        return concat(new byte[] {(byte) 0xfc}, header(kid, ctr), bytes(40));
    }

    /** The first packet of a VP8 delta frame with a 15-bit picture id. */
    byte[] vp8Start(int kid, long ctr) {
        return concat(new byte[] {(byte) 0x90, (byte) 0x80, (byte) 0x81, 0x02, 0x31, 0x02, 0x00},
                header(kid, ctr), bytes(60));
    }

    /** The first packet of a VP8 key frame: 10 clear bytes. */
    byte[] vp8KeyStart(int kid, long ctr) {
        return concat(new byte[] {(byte) 0x90, (byte) 0x80, (byte) 0x81, 0x02,
                0x50, 0x42, 0x00, (byte) 0x9d, 0x01, 0x2a, (byte) 0x80, 0x02, (byte) 0xe0, 0x01},
                header(kid, ctr), bytes(60));
    }

    /** A later packet of a VP8 frame (S=0). */
    byte[] vp8More() {
        return concat(new byte[] {(byte) 0x80, (byte) 0x80, (byte) 0x81, 0x02}, bytes(80));
    }

    /** An H264 IDR slice as one NAL unit: NAL header, slice byte, escaped header and ciphertext. */
    byte[] h264Single(int kid, long ctr) {
        return concat(new byte[] {0x65, (byte) 0x88}, escape(concat(header(kid, ctr), bytes(30))));
    }

    private static byte[] escape(byte[] in) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int zeros = 0;
        for (byte v : in) {
            int x = v & 0xFF;
            if (zeros >= 2 && x <= 3) {
                out.write(3);
                zeros = 0;
            }
            out.write(x);
            zeros = x == 0 ? zeros + 1 : 0;
        }
        return out.toByteArray();
    }

    byte[] bytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) out.writeBytes(p);
        return out.toByteArray();
    }
}
