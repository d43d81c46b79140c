package org.conclave.sfu.rtcp;

/**
 * Writes transport-wide congestion control feedback, RTPFB FMT 15 (draft-holmer-rmcat-transport-wide-cc-extensions-01
 * §3.1), the way a receiver reports arrival times to a send-side estimator. Uses two-bit status vector chunks only
 * (seven symbols each), which every parser must take; receive deltas are one byte when they fit, else two.
 */
public final class TransportCcWriter {
    public static final long REFERENCE_UNIT_US = 64_000;
    public static final long DELTA_UNIT_US = 250;
    private static final int PT_RTPFB = 205;
    private static final int FMT = 15;
    private static final int SYMBOLS_PER_CHUNK = 7;

    private TransportCcWriter() {}

    /**
     * Writes one feedback for the {@code count} sequence numbers from {@code baseSequence}; {@code arrivalUs[i]} is
     * when {@code baseSequence + i} arrived (receiver clock, µs, non-decreasing among received ones) or negative when
     * it did not. Returns the packet length (padded to 32 bits), or -1 when {@code buf} is too small or a delta does
     * not fit 16 bits (split the feedback then).
     */
    public static int write(byte[] buf, int off, int senderSsrc, int mediaSsrc, int baseSequence, long[] arrivalUs,
            int count, int feedbackCount) {
        if (count <= 0 || count > 0xFFFF) return -1;
        long firstArrival = -1;
        for (int i = 0; i < count; i++) {
            if (arrivalUs[i] >= 0) {
                firstArrival = arrivalUs[i];
                break;
            }
        }
        long referenceTicks = firstArrival < 0 ? 0 : firstArrival / REFERENCE_UNIT_US;
        int chunks = (count + SYMBOLS_PER_CHUNK - 1) / SYMBOLS_PER_CHUNK;
        int p = off + 20;
        int deltas = p + chunks * 2;
        if (deltas > buf.length) return -1;
        long previous = referenceTicks * REFERENCE_UNIT_US;
        int d = deltas;
        for (int c = 0; c < chunks; c++) {
            int chunk = 0xC000; // status vector, two-bit symbols
            for (int s = 0; s < SYMBOLS_PER_CHUNK; s++) {
                int i = c * SYMBOLS_PER_CHUNK + s;
                int symbol = 0;
                if (i < count && arrivalUs[i] >= 0) {
                    long delta = Math.floorDiv(arrivalUs[i] - previous, DELTA_UNIT_US);
                    previous += delta * DELTA_UNIT_US;
                    if (delta >= 0 && delta <= 0xFF) {
                        symbol = 1;
                        if (d + 1 > buf.length) return -1;
                        buf[d++] = (byte) delta;
                    } else if (delta >= Short.MIN_VALUE && delta <= Short.MAX_VALUE) {
                        symbol = 2;
                        if (d + 2 > buf.length) return -1;
                        buf[d++] = (byte) (delta >> 8);
                        buf[d++] = (byte) delta;
                    } else {
                        return -1;
                    }
                }
                chunk |= symbol << (2 * (SYMBOLS_PER_CHUNK - 1 - s));
            }
            buf[p++] = (byte) (chunk >> 8);
            buf[p++] = (byte) chunk;
        }
        while ((d - off) % 4 != 0) {
            if (d + 1 > buf.length) return -1;
            buf[d++] = 0;
        }
        int length = d - off;
        buf[off] = (byte) (0x80 | FMT);
        buf[off + 1] = (byte) PT_RTPFB;
        putUint16(buf, off + 2, length / 4 - 1);
        putInt(buf, off + 4, senderSsrc);
        putInt(buf, off + 8, mediaSsrc);
        putUint16(buf, off + 12, baseSequence);
        putUint16(buf, off + 14, count);
        buf[off + 16] = (byte) (referenceTicks >> 16);
        buf[off + 17] = (byte) (referenceTicks >> 8);
        buf[off + 18] = (byte) referenceTicks;
        buf[off + 19] = (byte) feedbackCount;
        return length;
    }

    private static void putUint16(byte[] b, int at, int v) {
        b[at] = (byte) (v >> 8);
        b[at + 1] = (byte) v;
    }

    private static void putInt(byte[] b, int at, int v) {
        putUint16(b, at, v >>> 16);
        putUint16(b, at + 2, v & 0xFFFF);
    }
}
