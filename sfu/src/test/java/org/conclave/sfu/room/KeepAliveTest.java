package org.conclave.sfu.room;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.conclave.sfu.clock.FakeClock;
import org.junit.jupiter.api.Test;

/** The SFU's data-channel keep-alive with a fake clock: interval 30 s, timeout 30 s (the defaults, as waterfall). */
class KeepAliveTest {
    private final FakeClock clock = new FakeClock();
    private final KeepAlive keepAlive = new KeepAlive(clock, Duration.ofSeconds(30), Duration.ofSeconds(30));

    private KeepAlive.Due after(long ms) {
        clock.advanceMillis(ms);
        return keepAlive.poll();
    }

    @Test
    void pingsEveryIntervalWhileTheClientAnswers() {
        keepAlive.opened("a");
        assertThat(after(29_999).ping()).isEmpty();
        assertThat(after(1).ping()).containsExactly("a");
        keepAlive.heard("a"); // m.call.pong
        assertThat(after(29_999)).isEqualTo(new KeepAlive.Due(List.of(), List.of()));
        assertThat(after(1).ping()).containsExactly("a");
        keepAlive.heard("a");
        for (int i = 0; i < 10; i++) {
            assertThat(after(30_000)).isEqualTo(new KeepAlive.Due(List.of("a"), List.of()));
            keepAlive.heard("a");
        }
    }

    @Test
    void aClientThatStopsAnsweringExpiresTheTimeoutAfterTheFirstUnansweredPing() {
        keepAlive.opened("a");
        keepAlive.opened("b");
        assertThat(after(30_000).ping()).containsExactly("a", "b");
        keepAlive.heard("a");
        // b answers nothing: it expires 30 s after the first unanswered ping, as a is pinged again
        assertThat(after(29_999)).isEqualTo(new KeepAlive.Due(List.of(), List.of()));
        assertThat(after(1)).isEqualTo(new KeepAlive.Due(List.of("a"), List.of("b")));
        keepAlive.heard("a");
        // expired endpoints are forgotten: no more pings, no second expiry
        assertThat(after(30_000)).isEqualTo(new KeepAlive.Due(List.of("a"), List.of()));
    }

    @Test
    void pingsStayOnTheIntervalsGridWhenPolledLateAndSkipWhatWasMissed() {
        keepAlive.opened("a");
        assertThat(after(30_150).ping()).containsExactly("a"); // due at 30 000, polled late
        keepAlive.heard("a");
        assertThat(after(29_849).ping()).isEmpty();
        assertThat(after(1).ping()).containsExactly("a"); // 60 000 after opening, not 30 000 after the late ping
        keepAlive.heard("a");
        assertThat(after(95_000).ping()).containsExactly("a"); // one ping for three missed intervals, not a burst
        keepAlive.heard("a");
        assertThat(after(1).ping()).isEmpty();
        assertThat(after(29_999).ping()).containsExactly("a"); // the grid restarts from the late ping
    }

    @Test
    void anyMessageCountsAsAnAnswer() {
        keepAlive.opened("a");
        after(30_000);
        clock.advanceMillis(29_000);
        keepAlive.heard("a"); // say, a track subscription instead of a pong
        assertThat(after(30_000).expired()).isEmpty();
    }

    @Test
    void endpointsWithoutAnOpenChannelAreNeverPinged() {
        keepAlive.heard("never-opened");
        assertThat(after(600_000)).isEqualTo(new KeepAlive.Due(List.of(), List.of()));
        assertThat(keepAlive.nextDeadlineNanos()).isEqualTo(Long.MAX_VALUE);
        keepAlive.opened("a");
        keepAlive.forget("a");
        assertThat(after(600_000)).isEqualTo(new KeepAlive.Due(List.of(), List.of()));
    }

    @Test
    void openingAgainKeepsTheScheduleAndTheDeadlineIsTheEarliestDue() {
        keepAlive.opened("a");
        long firstPing = clock.nanoTime() + Duration.ofSeconds(30).toNanos();
        clock.advanceMillis(10_000);
        keepAlive.opened("a"); // a second channel of the same endpoint
        assertThat(keepAlive.nextDeadlineNanos()).isEqualTo(firstPing);
        assertThat(after(20_000).ping()).containsExactly("a");
        long expiry = clock.nanoTime() + Duration.ofSeconds(30).toNanos();
        assertThat(keepAlive.nextDeadlineNanos()).isEqualTo(expiry);
    }

    @Test
    void thePingIsAnEmptyMCallPing() {
        assertThat(KeepAlive.ping()).isEqualTo("{\"type\":\"m.call.ping\",\"content\":{}}");
    }
}
