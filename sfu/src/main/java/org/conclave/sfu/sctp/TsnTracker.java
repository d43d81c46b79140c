package org.conclave.sfu.sctp;

import java.util.Arrays;
import org.conclave.sfu.sctp.chunk.SackChunk;

/**
 * Which of the peer's TSNs have arrived: the cumulative point, a fixed-size bitmap of out-of-order arrivals in the
 * {@link #WINDOW} TSNs above it, and a few duplicates to report. TSNs are unwrapped to longs (serial arithmetic
 * relative to the cumulative point), so comparisons are plain.
 */
final class TsnTracker {
    /** TSNs above the cumulative point that are accepted; later ones are dropped unacknowledged. Power of two. */
    static final int WINDOW = 16384;
    static final int MAX_GAP_BLOCKS = 64;
    static final int MAX_DUPLICATES = 16;

    enum Arrival { NEW, DUPLICATE, BEYOND_WINDOW }

    private final long[] received = new long[WINDOW / 64];
    private final int[] duplicates = new int[MAX_DUPLICATES];
    private int duplicateCount;
    private long cumulative;
    private long highest;

    TsnTracker(int peerInitialTsn) {
        cumulative = (1L << 32) + (peerInitialTsn & 0xFFFFFFFFL) - 1;
        highest = cumulative;
    }

    long unwrap(int tsn) {
        return cumulative + (int) (tsn - (int) cumulative);
    }

    long cumulative() {
        return cumulative;
    }

    boolean hasGaps() {
        return highest > cumulative;
    }

    /** TSNs recorded above the cumulative point. */
    int outOfOrderCount() {
        int n = 0;
        for (long w : received) n += Long.bitCount(w);
        return n;
    }

    Arrival classify(long tsn) {
        if (tsn <= cumulative) return Arrival.DUPLICATE;
        if (tsn - cumulative > WINDOW) return Arrival.BEYOND_WINDOW;
        return isSet(tsn) ? Arrival.DUPLICATE : Arrival.NEW;
    }

    void noteDuplicate(int tsn) {
        if (duplicateCount < MAX_DUPLICATES) duplicates[duplicateCount++] = tsn;
    }

    boolean hasDuplicates() {
        return duplicateCount > 0;
    }

    /** Records a TSN that {@link #classify} called NEW. */
    void markReceived(long tsn) {
        set(tsn);
        if (tsn > highest) highest = tsn;
        advance();
    }

    /** FORWARD-TSN: everything up to {@code newCumulative} counts as received. */
    void forwardTo(long newCumulative) {
        if (newCumulative <= cumulative) return;
        long clearTo = Math.min(newCumulative, highest);
        if (clearTo - cumulative >= WINDOW) {
            Arrays.fill(received, 0);
        } else {
            for (long t = cumulative + 1; t <= clearTo; t++) clear(t);
        }
        cumulative = newCumulative;
        if (highest < cumulative) highest = cumulative;
        advance();
    }

    /** A SACK for the current state; clears the duplicate list it reports. */
    SackChunk sack(long aRwnd) {
        int[] starts = new int[MAX_GAP_BLOCKS];
        int[] ends = new int[MAX_GAP_BLOCKS];
        int n = 0;
        long t = cumulative + 1;
        while (t <= highest && n < MAX_GAP_BLOCKS) {
            while (t <= highest && !isSet(t)) t++;
            if (t > highest) break;
            long start = t;
            while (t <= highest && isSet(t)) t++;
            starts[n] = (int) (start - cumulative);
            ends[n] = (int) (t - 1 - cumulative);
            n++;
        }
        int[] dups = Arrays.copyOf(duplicates, duplicateCount);
        duplicateCount = 0;
        return new SackChunk((int) cumulative, aRwnd, Arrays.copyOf(starts, n), Arrays.copyOf(ends, n), dups);
    }

    private void advance() {
        while (cumulative < highest && isSet(cumulative + 1)) {
            clear(cumulative + 1);
            cumulative++;
        }
    }

    private boolean isSet(long tsn) {
        int i = (int) (tsn & (WINDOW - 1));
        return (received[i >>> 6] & (1L << i)) != 0;
    }

    private void set(long tsn) {
        int i = (int) (tsn & (WINDOW - 1));
        received[i >>> 6] |= 1L << i;
    }

    private void clear(long tsn) {
        int i = (int) (tsn & (WINDOW - 1));
        received[i >>> 6] &= ~(1L << i);
    }
}
