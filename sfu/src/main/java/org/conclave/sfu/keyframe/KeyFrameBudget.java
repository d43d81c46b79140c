package org.conclave.sfu.keyframe;

/**
 * How many key-frame requests one receiver may still cause: at most {@code receiverMaxRequests} per
 * {@code receiverWindowMillis}, at least {@code receiverMinSpacingMillis} apart. One per receiver (or per receiver and
 * source, if the caller prefers). Packet thread only; no allocation after construction.
 */
public final class KeyFrameBudget {
    private final long windowNanos;
    private final long spacingNanos;
    private final long[] granted;
    private int count;
    private int oldest;
    private long denied;

    public KeyFrameBudget(KeyFrameOptions options) {
        this.windowNanos = options.receiverWindowMillis() * 1_000_000;
        this.spacingNanos = options.receiverMinSpacingMillis() * 1_000_000;
        this.granted = new long[options.receiverMaxRequests()];
    }

    /** @return whether the receiver may cause a request now (and if so, counts it) */
    public boolean tryAcquire(long nowNanos) {
        if (count > 0) {
            long newest = granted[(oldest + count - 1) % granted.length];
            if (nowNanos - newest < spacingNanos) {
                denied++;
                return false;
            }
        }
        if (count == granted.length) {
            if (nowNanos - granted[oldest] < windowNanos) {
                denied++;
                return false;
            }
            oldest = (oldest + 1) % granted.length;
            count--;
        }
        granted[(oldest + count) % granted.length] = nowNanos;
        count++;
        return true;
    }

    public long denied() {
        return denied;
    }
}
