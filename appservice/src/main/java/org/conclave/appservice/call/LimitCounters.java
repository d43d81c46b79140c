package org.conclave.appservice.call;

import java.util.concurrent.atomic.LongAdder;

/**
 * How often the caps of {@code calls.max_*} refused an invite, by cap, and how many refused invites got no answer
 * (the caller had been told within {@code calls.limit_notice_interval_ms}). Written on the call loop, read by the
 * metrics from any thread.
 */
public final class LimitCounters {
    private final LongAdder userRate = new LongAdder();
    private final LongAdder userCalls = new LongAdder();
    private final LongAdder roomRate = new LongAdder();
    private final LongAdder unanswered = new LongAdder();

    /** Refused by {@code calls.max_invites_per_user_per_minute}. */
    public long userRate() {
        return userRate.sum();
    }

    /** Refused by {@code calls.max_calls_per_user}. */
    public long userCalls() {
        return userCalls.sum();
    }

    /** Refused by {@code calls.max_invites_per_room_per_minute}. */
    public long roomRate() {
        return roomRate.sum();
    }

    /** Refused invites dropped without m.call.reject or notice. */
    public long unanswered() {
        return unanswered.sum();
    }

    void countRefused(InviteLimiter.Reason reason) {
        switch (reason) {
            case USER_RATE -> userRate.increment();
            case USER_CALLS -> userCalls.increment();
            case ROOM_RATE -> roomRate.increment();
        }
    }

    void countUnanswered() {
        unanswered.increment();
    }
}
