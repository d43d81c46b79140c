package org.conclave.sfu.room;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.conclave.sfu.clock.NanoClock;

/**
 * Keep-alive over the endpoints' data channels (MSC3898, as matrix-org/waterfall does it): once an endpoint's channel
 * is open the SFU sends {@code m.call.ping} every interval, and an endpoint that sent nothing (no {@code m.call.pong},
 * no other message) for the timeout after a ping is dead. Endpoints without an open channel are not pinged: ICE
 * consent covers them. Pure logic on the control thread, time from a {@link NanoClock}.
 */
public final class KeepAlive {
    /** What {@link #poll} found due: channels to ping now, endpoints whose time is up. */
    public record Due(List<String> ping, List<String> expired) {}

    private static final Due NOTHING = new Due(List.of(), List.of());
    private static final String PING = ServerMessages.ping();

    private static final class Channel {
        long nextPingNanos;
        /** When the first ping nothing answered went out, or -1 once the endpoint was heard after it. */
        long unansweredSinceNanos = -1;
    }

    private final NanoClock clock;
    private final long intervalNanos;
    private final long timeoutNanos;
    private final Map<String, Channel> channels = new LinkedHashMap<>();

    public KeepAlive(NanoClock clock, Duration interval, Duration timeout) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.intervalNanos = interval.toNanos();
        this.timeoutNanos = timeout.toNanos();
        if (intervalNanos <= 0 || timeoutNanos <= 0) throw new IllegalArgumentException("interval and timeout must be positive");
    }

    /** The text of the SFU's ping ({@code {"type": "m.call.ping", "content": {}}}). */
    public static String ping() {
        return PING;
    }

    /** The endpoint's data channel opened: the first ping goes out one interval from now. Again: no change. */
    public void opened(String endpointId) {
        channels.computeIfAbsent(endpointId, id -> {
            Channel c = new Channel();
            c.nextPingNanos = clock.nanoTime() + intervalNanos;
            return c;
        });
    }

    /** Anything arrived from the endpoint on its data channel. */
    public void heard(String endpointId) {
        Channel c = channels.get(endpointId);
        if (c != null) c.unansweredSinceNanos = -1;
    }

    /** The endpoint's channels are gone (or the endpoint): no more pings. */
    public void forget(String endpointId) {
        channels.remove(endpointId);
    }

    /** Pings due now (counted as sent) and endpoints that did not answer in time (forgotten). */
    public Due poll() {
        if (channels.isEmpty()) return NOTHING;
        long now = clock.nanoTime();
        List<String> ping = new ArrayList<>();
        List<String> expired = new ArrayList<>();
        for (var it = channels.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Channel> e = it.next();
            Channel c = e.getValue();
            if (c.unansweredSinceNanos >= 0 && now - c.unansweredSinceNanos >= timeoutNanos) {
                expired.add(e.getKey());
                it.remove();
                continue;
            }
            if (now - c.nextPingNanos >= 0) {
                ping.add(e.getKey());
                if (c.unansweredSinceNanos < 0) c.unansweredSinceNanos = now;
                // On the interval's grid, so a late poll does not push every later ping back; missed ones are skipped.
                c.nextPingNanos += intervalNanos;
                if (now - c.nextPingNanos >= 0) c.nextPingNanos = now + intervalNanos;
            }
        }
        return ping.isEmpty() && expired.isEmpty() ? NOTHING : new Due(ping, expired);
    }

    /** When {@link #poll} has something to do next, or Long.MAX_VALUE. */
    public long nextDeadlineNanos() {
        long next = Long.MAX_VALUE;
        for (Channel c : channels.values()) {
            next = Math.min(next, c.nextPingNanos);
            if (c.unansweredSinceNanos >= 0) next = Math.min(next, c.unansweredSinceNanos + timeoutNanos);
        }
        return next;
    }

    /** Describes the timeout for the hang-up's detail. */
    public String describeTimeout() {
        return "the client answered no keep-alive ping (m.call.ping) on its data channel for "
                + Duration.ofNanos(timeoutNanos).toMillis() + " ms";
    }
}
