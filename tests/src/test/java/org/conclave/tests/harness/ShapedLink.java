package org.conclave.tests.harness;

import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One direction of a shaped network path, as arithmetic: random loss, then a bottleneck of {@code rateBps} that
 * serialises packets one after the other (a token bucket one packet deep) behind a drop-tail queue bounded by how
 * long a packet would wait, then a fixed extra delay plus a random one up to the jitter (so packets may arrive out of
 * order, as with netem's jitter). {@link #admit} says when a packet leaves the far end, or that it
 * is dropped. Settings change at any time from any thread; {@link #admit} runs on one thread (the shaper's).
 */
public final class ShapedLink {
    /** Admit result: dropped by the random loss. */
    public static final long LOST = Long.MIN_VALUE;
    /** Admit result: dropped because the queue was full. */
    public static final long QUEUE_FULL = Long.MIN_VALUE + 1;

    /** Rate meaning "no bottleneck". */
    public static final long UNLIMITED = 0;
    /** A packet that would wait longer than this before the bottleneck sends it is dropped (drop-tail). */
    public static final long DEFAULT_QUEUE_LIMIT_MS = 300;
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private volatile long rateBps = UNLIMITED;
    private volatile long delayNanos;
    private volatile long jitterNanos;
    private volatile double lossFraction;
    private volatile long queueLimitNanos = DEFAULT_QUEUE_LIMIT_MS * 1_000_000L;
    private final Random random;
    /** When the bottleneck finishes sending what it has accepted so far. */
    private long busyUntil = Long.MIN_VALUE;

    private final AtomicLong forwarded = new AtomicLong();
    private final AtomicLong forwardedBytes = new AtomicLong();
    private final AtomicLong lost = new AtomicLong();
    private final AtomicLong queueDropped = new AtomicLong();

    public ShapedLink(long seed) {
        this.random = new Random(seed);
    }

    /** Bottleneck rate in bits/s, {@link #UNLIMITED} for none. */
    public ShapedLink rateBps(long bps) {
        if (bps < 0) throw new IllegalArgumentException("rate must be >= 0: " + bps);
        rateBps = bps;
        return this;
    }

    /** Extra one-way delay added after the bottleneck. */
    public ShapedLink delayMs(long ms) {
        if (ms < 0) throw new IllegalArgumentException("delay must be >= 0: " + ms);
        delayNanos = ms * 1_000_000L;
        return this;
    }

    /** Each packet waits a further uniformly random 0..{@code ms} (from the seeded generator): jitter, reordering. */
    public ShapedLink jitterMs(long ms) {
        if (ms < 0) throw new IllegalArgumentException("jitter must be >= 0: " + ms);
        jitterNanos = ms * 1_000_000L;
        return this;
    }

    /** Random loss in percent (0..100), drawn from the seeded generator. */
    public ShapedLink lossPercent(double percent) {
        if (percent < 0 || percent > 100) throw new IllegalArgumentException("loss must be 0..100 %: " + percent);
        lossFraction = percent / 100.0;
        return this;
    }

    /** The longest a packet may wait for the bottleneck before it is dropped instead. */
    public ShapedLink queueLimitMs(long ms) {
        if (ms <= 0) throw new IllegalArgumentException("queue limit must be > 0: " + ms);
        queueLimitNanos = ms * 1_000_000L;
        return this;
    }

    public long rateBps() {
        return rateBps;
    }

    /** Whether an {@link #admit} result is a delivery time rather than a drop. */
    public static boolean delivered(long admitResult) {
        return admitResult != LOST && admitResult != QUEUE_FULL;
    }

    /**
     * A packet of {@code bytes} arrives at {@code nowNanos}: the time it is delivered at the far end, or {@link #LOST}
     * or {@link #QUEUE_FULL}. Calls must come with non-decreasing times.
     */
    public long admit(long nowNanos, int bytes) {
        double loss = lossFraction;
        if (loss > 0 && random.nextDouble() < loss) {
            lost.incrementAndGet();
            return LOST;
        }
        long rate = rateBps;
        long departs;
        if (rate == UNLIMITED) {
            departs = nowNanos;
        } else {
            long start = Math.max(nowNanos, busyUntil);
            if (start - nowNanos > queueLimitNanos) {
                queueDropped.incrementAndGet();
                return QUEUE_FULL;
            }
            departs = start + bytes * 8L * NANOS_PER_SECOND / rate;
            busyUntil = departs;
        }
        forwarded.incrementAndGet();
        forwardedBytes.addAndGet(bytes);
        long jitter = jitterNanos;
        return departs + delayNanos + (jitter > 0 ? (long) (random.nextDouble() * jitter) : 0);
    }

    public long forwarded() {
        return forwarded.get();
    }

    public long forwardedBytes() {
        return forwardedBytes.get();
    }

    public long lost() {
        return lost.get();
    }

    public long queueDropped() {
        return queueDropped.get();
    }

    @Override
    public String toString() {
        return String.format("rate=%d bit/s delay=%d ms jitter=%d ms loss=%.1f%%: forwarded %d (%d B), lost %d,"
                + " queue-dropped %d", rateBps, delayNanos / 1_000_000, jitterNanos / 1_000_000, lossFraction * 100,
                forwarded(), forwardedBytes(), lost(), queueDropped());
    }
}
