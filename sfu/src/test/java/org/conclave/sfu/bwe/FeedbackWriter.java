package org.conclave.sfu.bwe;

import java.util.ArrayList;
import java.util.List;

/**
 * Test helper: encodes transport-cc feedback the way a receiver would (draft-holmer-01), choosing run-length chunks
 * for runs of 7 or more equal symbols and status vectors otherwise (1-bit when the symbols allow it).
 */
final class FeedbackWriter {
    static final long NOT_RECEIVED = Long.MIN_VALUE;

    private FeedbackWriter() {
    }

    /**
     * @param arrivalsUs per sequence from {@code baseSeq} on, the arrival time in µs on the receiver's clock, or
     *     {@link #NOT_RECEIVED}; the first packet must be received
     */
    static byte[] write(int senderSsrc, int mediaSsrc, int baseSeq, int fbCount, long[] arrivalsUs) {
        int n = arrivalsUs.length;
        int[] symbols = new int[n];
        long[] deltas = new long[n];
        long refTicks = Math.floorDiv(firstArrival(arrivalsUs), TransportFeedback.REFERENCE_TIME_UNIT_US);
        long prevTicks = refTicks * (TransportFeedback.REFERENCE_TIME_UNIT_US / TransportFeedback.DELTA_UNIT_US);
        for (int i = 0; i < n; i++) {
            if (arrivalsUs[i] == NOT_RECEIVED) {
                symbols[i] = 0;
                continue;
            }
            long ticks = Math.floorDiv(arrivalsUs[i], TransportFeedback.DELTA_UNIT_US);
            long delta = ticks - prevTicks;
            prevTicks = ticks;
            if (delta < Short.MIN_VALUE || delta > Short.MAX_VALUE) {
                throw new IllegalArgumentException("delta does not fit: " + delta);
            }
            deltas[i] = delta;
            symbols[i] = delta >= 0 && delta <= 255 ? 1 : 2;
        }
        return write(senderSsrc, mediaSsrc, baseSeq, (int) refTicks, fbCount, symbols, deltas);
    }

    /** Low-level form: explicit symbols and deltas (ticks of 250 µs). */
    static byte[] write(int senderSsrc, int mediaSsrc, int baseSeq, int refTicks, int fbCount, int[] symbols,
            long[] deltas) {
        List<Integer> chunks = chunks(symbols);
        int body = 12 + 8 + 2 * chunks.size();
        for (int i = 0; i < symbols.length; i++) {
            body += symbols[i] == 1 ? 1 : symbols[i] == 2 ? 2 : 0;
        }
        int length = (body + 3) / 4 * 4;
        byte[] b = new byte[length];
        b[0] = (byte) 0x8F;
        b[1] = (byte) 205;
        put16(b, 2, length / 4 - 1);
        put32(b, 4, senderSsrc);
        put32(b, 8, mediaSsrc);
        put16(b, 12, baseSeq);
        put16(b, 14, symbols.length);
        b[16] = (byte) (refTicks >> 16);
        b[17] = (byte) (refTicks >> 8);
        b[18] = (byte) refTicks;
        b[19] = (byte) fbCount;
        int pos = 20;
        for (int chunk : chunks) {
            put16(b, pos, chunk);
            pos += 2;
        }
        for (int i = 0; i < symbols.length; i++) {
            if (symbols[i] == 1) {
                b[pos++] = (byte) deltas[i];
            } else if (symbols[i] == 2) {
                put16(b, pos, (int) deltas[i]);
                pos += 2;
            }
        }
        return b;
    }

    private static List<Integer> chunks(int[] symbols) {
        List<Integer> chunks = new ArrayList<>();
        int i = 0;
        while (i < symbols.length) {
            int run = 1;
            while (i + run < symbols.length && symbols[i + run] == symbols[i] && run < 0x1FFF) {
                run++;
            }
            if (run >= 7) {
                chunks.add((symbols[i] << 13) | run);
                i += run;
                continue;
            }
            boolean oneBit = true;
            for (int k = i; k < Math.min(symbols.length, i + 14); k++) {
                oneBit &= symbols[k] <= 1;
            }
            int chunk;
            if (oneBit) {
                chunk = 0x8000;
                for (int k = 0; k < 14 && i + k < symbols.length; k++) {
                    chunk |= symbols[i + k] << (13 - k);
                }
                i += 14;
            } else {
                chunk = 0xC000;
                for (int k = 0; k < 7 && i + k < symbols.length; k++) {
                    chunk |= symbols[i + k] << (12 - 2 * k);
                }
                i += 7;
            }
            chunks.add(chunk);
        }
        return chunks;
    }

    private static long firstArrival(long[] arrivalsUs) {
        for (long a : arrivalsUs) {
            if (a != NOT_RECEIVED) {
                return a;
            }
        }
        throw new IllegalArgumentException("no packet received");
    }

    private static void put16(byte[] b, int at, int v) {
        b[at] = (byte) (v >> 8);
        b[at + 1] = (byte) v;
    }

    private static void put32(byte[] b, int at, int v) {
        put16(b, at, v >>> 16);
        put16(b, at + 2, v);
    }
}
