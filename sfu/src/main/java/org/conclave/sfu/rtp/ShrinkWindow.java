package org.conclave.sfu.rtp;

/**
 * When a per-stream buffer that grew (in a burst: a packet thread that stalls hands over a second of arrivals at once)
 * may shrink back: the buffer samples how much of it what it must keep uses (from the packet thread's housekeeping,
 * between packets); once the peak of the last window (kept per keep-time, so an old burst slides out of it) is below
 * {@link #BELOW_PERCENT} of its size, it may reallocate to that peak plus {@link #HEADROOM_PERCENT}. The buffer
 * restarts the window whenever it grows or shrinks, so it reallocates to shrink at most once per window and never
 * within a window of growing. Used by {@code PacketCache}, {@code SentLog}, {@code SendHistory}; packet thread only,
 * no allocation after construction.
 */
public final class ShrinkWindow {
    /**
     * The window, in the buffer's keep-times (its max age; 5 s at the default 1 s): several, so a stream's usual swings
     * (a key frame, a second of more motion) are inside it, and the allocation of a shrink stays rare.
     */
    public static final int WINDOW_KEEP_TIMES = 5;
    /**
     * Shrink only if the peak stayed below this share of the size all window long: far from the grow threshold (100%:
     * a buffer grows only when it would lose what it must keep; the ring's 25% steps leave it 80-100% used), so a stream
     * near either threshold does not alternate; low enough that a shrink gives back at least a third; high enough that
     * a ring grown by a stall that doubled a second of arrivals (to 2-2.5 times the need, 40-50% used) shrinks back.
     */
    public static final int BELOW_PERCENT = 50;
    /**
     * The shrunk buffer holds the peak plus this much: at most 62.5% of the old size, and the stream must need 25%
     * more than its worst moment of the window before the buffer grows again.
     */
    public static final int HEADROOM_PERCENT = 25;
    private static final long NONE = Long.MIN_VALUE;

    private final long bucketNanos;
    /** The peaks of the last keep-times, a ring by {@link #buckets}. */
    private final int[] bucketPeaks = new int[WINDOW_KEEP_TIMES];
    /** Keep-times completed since the window restarted. */
    private long buckets;
    private long bucketStart = NONE;
    private int current;

    /** @param keepNanos how long the buffer must keep what it holds (its max age) */
    public ShrinkWindow(long keepNanos) {
        this.bucketNanos = keepNanos;
    }

    /**
     * Notes that {@code used} of the buffer's {@code size} holds what it must keep now.
     *
     * @return once a whole window passed since the last restart, at the end of each keep-time: the window's peak if
     *     it is below {@link #BELOW_PERCENT} of {@code size} (the buffer may shrink, then calls {@link #restart});
     *     otherwise -1
     */
    public long sample(long used, long size, long nowNanos) {
        if (bucketStart == NONE) {
            restart(nowNanos);
        }
        current = (int) Math.max(current, Math.min(Integer.MAX_VALUE, used));
        if (nowNanos - bucketStart < bucketNanos) {
            return -1;
        }
        bucketPeaks[(int) (buckets++ % WINDOW_KEEP_TIMES)] = current;
        current = 0;
        bucketStart = nowNanos;
        if (buckets < WINDOW_KEEP_TIMES) {
            return -1;
        }
        long peak = 0;
        for (int p : bucketPeaks) {
            peak = Math.max(peak, p);
        }
        return peak * 100 < size * BELOW_PERCENT ? peak : -1;
    }

    /** The buffer grew or shrank: a new window starts. */
    public void restart(long nowNanos) {
        buckets = 0;
        bucketStart = nowNanos;
        current = 0;
    }

    /** {@code peak} plus the headroom. */
    public static long withHeadroom(long peak) {
        return peak + peak * HEADROOM_PERCENT / 100;
    }

    /** The smallest power of two holding {@code peak} plus the headroom, at least {@code floor}. */
    public static int powerOfTwoFor(long peak, int floor) {
        long n = withHeadroom(peak);
        int p = n <= 1 ? 1 : Integer.highestOneBit((int) Math.min(1 << 29, n - 1)) << 1;
        return Math.max(floor, p);
    }
}
