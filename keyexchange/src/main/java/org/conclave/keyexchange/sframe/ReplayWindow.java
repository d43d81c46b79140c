package org.conclave.keyexchange.sframe;

/**
 * Which counters of one KID were already accepted: the highest one plus a bitmap of the {@link #SIZE} counters at and
 * below it. A counter more than SIZE-1 below the highest is refused as too old. Counters are unsigned 64-bit values.
 * Check first, then {@link #accept} only once the frame authenticated, so forged frames cannot move the window.
 */
public final class ReplayWindow {
    /** Counters remembered below the highest accepted one (frames can arrive this far out of order). */
    public static final int SIZE = 128;

    private boolean empty = true;
    private long highest;
    /** Bit i of low (i < 64) or of high (i - 64) set: counter highest - i was accepted. */
    private long low;
    private long high;

    /** True when {@code ctr} was not accepted yet and is inside the window. */
    public boolean isFresh(long ctr) {
        if (empty || Long.compareUnsigned(ctr, highest) > 0) {
            return true;
        }
        long behind = highest - ctr;
        if (Long.compareUnsigned(behind, SIZE) >= 0) {
            return false;
        }
        return !bit((int) behind);
    }

    /** Records {@code ctr} as accepted. */
    public void accept(long ctr) {
        if (empty) {
            empty = false;
            highest = ctr;
            low = 1;
            high = 0;
            return;
        }
        if (Long.compareUnsigned(ctr, highest) > 0) {
            long ahead = ctr - highest;
            shift(Long.compareUnsigned(ahead, SIZE) >= 0 ? SIZE : (int) ahead);
            highest = ctr;
            low |= 1;
            return;
        }
        long behind = highest - ctr;
        if (Long.compareUnsigned(behind, SIZE) < 0) {
            int i = (int) behind;
            if (i < 64) {
                low |= 1L << i;
            } else {
                high |= 1L << (i - 64);
            }
        }
    }

    private boolean bit(int i) {
        return i < 64 ? (low & (1L << i)) != 0 : (high & (1L << (i - 64))) != 0;
    }

    private void shift(int n) {
        if (n >= SIZE) {
            low = 0;
            high = 0;
        } else if (n >= 64) {
            high = low << (n - 64);
            low = 0;
        } else if (n > 0) {
            high = (high << n) | (low >>> (64 - n));
            low <<= n;
        }
    }
}
