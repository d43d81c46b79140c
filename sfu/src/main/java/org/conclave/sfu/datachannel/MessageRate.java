package org.conclave.sfu.datachannel;

import java.util.concurrent.TimeUnit;

/**
 * One endpoint's budget of control messages (sfu.room_messages_per_second): a token bucket holding two seconds'
 * worth, so a client's burst (subscriptions when its layout changes) passes and a flood is cut to the rate before it
 * costs the control thread anything. A refused client is told at most once a second. Confined to the SCTP thread.
 */
final class MessageRate {
    /** The bucket holds this many seconds of the rate. */
    static final int BURST_SECONDS = 2;
    static final long TELL_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final int perSecond;
    private final double capacity;
    private double tokens;
    private long at;
    private long toldAt;
    private boolean told;

    MessageRate(int perSecond, long now) {
        if (perSecond < 1) throw new IllegalArgumentException("perSecond must be at least 1, got " + perSecond);
        this.perSecond = perSecond;
        this.capacity = (double) perSecond * BURST_SECONDS;
        this.tokens = capacity;
        this.at = now;
    }

    /** One message arrives at {@code now}: whether it may go on. */
    boolean take(long now) {
        long elapsed = Math.max(0, now - at);
        tokens = Math.min(capacity, tokens + (double) elapsed * perSecond / TimeUnit.SECONDS.toNanos(1));
        at = now;
        if (tokens < 1) return false;
        tokens -= 1;
        return true;
    }

    /** After a refusal: whether to tell the client now (the first time, then at most once per second). */
    boolean tell(long now) {
        if (told && now - toldAt < TELL_INTERVAL_NANOS) return false;
        told = true;
        toldAt = now;
        return true;
    }
}
