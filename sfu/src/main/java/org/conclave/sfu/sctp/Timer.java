package org.conclave.sfu.sctp;

/** One deadline on the caller's clock (nanoseconds), {@link Long#MAX_VALUE} while stopped. Nothing runs by itself. */
final class Timer {
    private long deadline = Long.MAX_VALUE;
    /** Consecutive expiries since the last {@link #reset}, for retransmission limits. */
    int expirations;

    void start(long now, long durationNanos) {
        deadline = now + durationNanos;
    }

    void stop() {
        deadline = Long.MAX_VALUE;
    }

    /** Stops the timer and clears its expiry count. */
    void reset() {
        stop();
        expirations = 0;
    }

    boolean running() {
        return deadline != Long.MAX_VALUE;
    }

    long deadline() {
        return deadline;
    }

    /** True once when {@code now} has reached the deadline; the timer is then stopped and its expiry counted. */
    boolean fire(long now) {
        if (now < deadline) return false;
        deadline = Long.MAX_VALUE;
        expirations++;
        return true;
    }
}
