package org.conclave.appservice.call;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.conclave.appservice.config.CallLimits;

/**
 * The caps of {@code calls.max_*} (docs/reliability.md, "Floods and abuse"): per user, a rate of invites and a
 * number of calls at once; per conference room, a rate of invites. Each rate is a token bucket holding a minute's
 * worth, refilled continuously, so a burst up to the cap is fine and a steady flood gets the cap per minute. A refused
 * caller is told at most once per {@code calls.limit_notice_interval_ms}. State is bounded: a bucket that has refilled
 * completely is the same as none and is forgotten. Confined to the call loop.
 */
final class InviteLimiter {
    /** Why an invite was refused; {@code tell}: answer it (reject and notice) rather than drop it. */
    record Refusal(Reason reason, String words, boolean tell) {}

    enum Reason { USER_RATE, USER_CALLS, ROOM_RATE }

    /**
     * A map is swept (full buckets, old notice times) when it reaches this many entries, then again at twice what the
     * sweep left, so that sweeping stays linear however many distinct users call.
     */
    static final int SWEEP_ABOVE = 1024;
    private static final long MINUTE_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final CallLimits limits;
    private final LongSupplier nanos;
    private final Buckets userBuckets = new Buckets();
    private final Buckets roomBuckets = new Buckets();
    private final Told users = new Told();
    private final Told rooms = new Told();
    private final LimitCounters counters = new LimitCounters();

    InviteLimiter(CallLimits limits, LongSupplier nanos) {
        this.limits = limits;
        this.nanos = nanos;
    }

    LimitCounters counters() {
        return counters;
    }

    /**
     * Takes one invite of {@code userId} into {@code conferenceRoomId} (null when the invite names no conference the
     * bot knows): null when it may go on, else the refusal. Every invite uses up the user's rate, refused or not.
     *
     * @param callsRunning the user's calls being set up or running now
     */
    Refusal admit(String userId, int callsRunning, String conferenceRoomId) {
        long now = nanos.getAsLong();
        if (!take(userBuckets, userId, limits.maxInvitesPerUserPerMinute(), now)) {
            return refuse(Reason.USER_RATE, userId, now, Notices.tooManyInvites(limits.maxInvitesPerUserPerMinute()));
        }
        if (callsRunning >= limits.maxCallsPerUser()) {
            return refuse(Reason.USER_CALLS, userId, now, Notices.tooManyCalls(limits.maxCallsPerUser()));
        }
        if (conferenceRoomId != null
                && !take(roomBuckets, conferenceRoomId, limits.maxInvitesPerRoomPerMinute(), now)) {
            return refuse(Reason.ROOM_RATE, userId, now,
                    Notices.roomBusy(conferenceRoomId, limits.maxInvitesPerRoomPerMinute()));
        }
        return null;
    }

    private Refusal refuse(Reason reason, String userId, long now, String words) {
        counters.countRefused(reason);
        boolean tell = users.mayTell(userId, now, intervalNanos());
        if (!tell) counters.countUnanswered();
        return new Refusal(reason, words, tell);
    }

    /**
     * Whether a refused to-device caller's notice may go into the conference room now: everyone there reads it, so
     * refusals of a crowd (a different user each) are told there at most once per interval; each caller still gets
     * its m.call.reject with the words.
     */
    boolean mayNoticeRoom(String roomId) {
        return rooms.mayTell(roomId, nanos.getAsLong(), intervalNanos());
    }

    private long intervalNanos() {
        return TimeUnit.MILLISECONDS.toNanos(limits.limitNoticeIntervalMs());
    }

    private static boolean take(Buckets buckets, String key, int perMinute, long now) {
        Bucket b = buckets.map.get(key);
        if (b == null) {
            if (buckets.map.size() >= buckets.sweepAt) buckets.sweep(perMinute, now);
            b = new Bucket(perMinute, now);
            buckets.map.put(key, b);
        }
        return b.take(perMinute, now);
    }

    /** Entries kept now (for the bound on memory). */
    int tracked() {
        return userBuckets.map.size() + roomBuckets.map.size() + users.at.size() + rooms.at.size();
    }

    /** When each user (or room) was last told, forgotten once the interval has passed. */
    private static final class Told {
        final Map<String, Long> at = new HashMap<>();
        int sweepAt = SWEEP_ABOVE;

        boolean mayTell(String key, long now, long interval) {
            Long last = at.get(key);
            if (last != null && now - last < interval) return false;
            if (at.size() >= sweepAt) {
                at.values().removeIf(t -> now - t >= interval);
                sweepAt = Math.max(SWEEP_ABOVE, 2 * at.size());
            }
            at.put(key, now);
            return true;
        }
    }

    /** The buckets of users or of rooms. */
    private static final class Buckets {
        final Map<String, Bucket> map = new HashMap<>();
        int sweepAt = SWEEP_ABOVE;

        void sweep(int perMinute, long now) {
            for (Iterator<Bucket> it = map.values().iterator(); it.hasNext(); ) {
                if (it.next().full(perMinute, now)) it.remove();
            }
            sweepAt = Math.max(SWEEP_ABOVE, 2 * map.size());
        }
    }

    /** Up to {@code perMinute} tokens, one regained every minute / perMinute. */
    private static final class Bucket {
        private double tokens;
        private long at;

        Bucket(int perMinute, long now) {
            tokens = perMinute;
            at = now;
        }

        boolean take(int perMinute, long now) {
            refill(perMinute, now);
            if (tokens < 1) return false;
            tokens -= 1;
            return true;
        }

        boolean full(int perMinute, long now) {
            refill(perMinute, now);
            return tokens >= perMinute;
        }

        private void refill(int perMinute, long now) {
            long elapsed = Math.max(0, now - at);
            tokens = Math.min(perMinute, tokens + (double) elapsed * perMinute / MINUTE_NANOS);
            at = now;
        }
    }
}
