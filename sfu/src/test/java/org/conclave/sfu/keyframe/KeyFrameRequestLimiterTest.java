package org.conclave.sfu.keyframe;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.conclave.sfu.clock.FakeClock;
import org.junit.jupiter.api.Test;

class KeyFrameRequestLimiterTest {
    private final FakeClock clock = new FakeClock();
    private final KeyFrameRequestLimiter limiter = new KeyFrameRequestLimiter(KeyFrameOptions.DEFAULTS);

    @Test
    void aStormFromFiftyReceiversReachesTheSenderAtMostFiveTimesASecond() {
        KeyFrameBudget[] receivers = new KeyFrameBudget[50];
        for (int i = 0; i < receivers.length; i++) {
            receivers[i] = new KeyFrameBudget(KeyFrameOptions.DEFAULTS);
        }
        Random random = new Random(3);
        int upstream = 0;
        int denied = 0;
        // 1000 requests spread over one second, polling every millisecond like the packet thread.
        for (int ms = 0; ms < 1000; ms++) {
            int r = limiter.onReceiverRequest(receivers[random.nextInt(50)], clock.nanoTime());
            upstream += r == KeyFrameRequestLimiter.SEND_NOW ? 1 : 0;
            denied += r == KeyFrameRequestLimiter.DENIED ? 1 : 0;
            upstream += limiter.poll(clock.nanoTime()) ? 1 : 0;
            clock.advanceMillis(1);
        }
        assertThat(upstream).isBetween(1, 5);
        assertThat(denied).isGreaterThan(800);
        assertThat(limiter.sent()).isEqualTo(upstream);
        // What was coalesced at the end still goes out once, one interval after the last.
        assertThat(limiter.hasPending()).isTrue();
        int after = 0;
        for (int ms = 0; ms < 1000; ms++) {
            after += limiter.poll(clock.nanoTime()) ? 1 : 0;
            clock.advanceMillis(1);
        }
        assertThat(after).isEqualTo(1);
    }

    @Test
    void coalescesRequestsWithinTheIntervalIntoOneSentWhenItEnds() {
        assertThat(limiter.request(clock.nanoTime())).isEqualTo(KeyFrameRequestLimiter.SEND_NOW);
        assertThat(limiter.nextDueNanos()).isEqualTo(Long.MAX_VALUE);
        clock.advanceMillis(50);
        assertThat(limiter.request(clock.nanoTime())).isEqualTo(KeyFrameRequestLimiter.COALESCED);
        clock.advanceMillis(100);
        assertThat(limiter.request(clock.nanoTime())).isEqualTo(KeyFrameRequestLimiter.COALESCED);
        assertThat(limiter.nextDueNanos()).isEqualTo(clock.nanoTime() + 50_000_000);
        clock.advanceMillis(49);
        assertThat(limiter.poll(clock.nanoTime())).isFalse();
        clock.advanceMillis(1);
        assertThat(limiter.poll(clock.nanoTime())).isTrue();
        assertThat(limiter.poll(clock.nanoTime())).isFalse();
        assertThat(limiter.sent()).isEqualTo(2);
        assertThat(limiter.coalesced()).isEqualTo(2);
        // A request right after the coalesced one waits again.
        assertThat(limiter.request(clock.nanoTime())).isEqualTo(KeyFrameRequestLimiter.COALESCED);
        clock.advanceMillis(200);
        assertThat(limiter.request(clock.nanoTime())).isEqualTo(KeyFrameRequestLimiter.SEND_NOW);
        assertThat(limiter.hasPending()).isFalse();
    }

    @Test
    void aReceiverGetsThreeRequestsPerTenSecondsTwoHundredMillisApart() {
        KeyFrameBudget budget = new KeyFrameBudget(KeyFrameOptions.DEFAULTS);
        long t0 = clock.nanoTime();
        assertThat(budget.tryAcquire(t0)).isTrue();
        assertThat(budget.tryAcquire(t0 + ms(199))).isFalse();
        assertThat(budget.tryAcquire(t0 + ms(200))).isTrue();
        assertThat(budget.tryAcquire(t0 + ms(400))).isTrue();
        assertThat(budget.tryAcquire(t0 + ms(600))).isFalse();
        assertThat(budget.tryAcquire(t0 + ms(9_999))).isFalse();
        assertThat(budget.tryAcquire(t0 + ms(10_000))).isTrue();
        assertThat(budget.tryAcquire(t0 + ms(10_199))).isFalse();
        assertThat(budget.tryAcquire(t0 + ms(10_200))).isTrue();
        assertThat(budget.denied()).isEqualTo(4);
    }

    @Test
    void deniedRequestsDoNotTouchTheSourceLimit() {
        KeyFrameBudget budget = new KeyFrameBudget(KeyFrameOptions.DEFAULTS);
        assertThat(limiter.onReceiverRequest(budget, clock.nanoTime())).isEqualTo(KeyFrameRequestLimiter.SEND_NOW);
        assertThat(limiter.onReceiverRequest(budget, clock.nanoTime())).isEqualTo(KeyFrameRequestLimiter.DENIED);
        assertThat(limiter.hasPending()).isFalse();
        assertThat(limiter.denied()).isEqualTo(1);
    }

    @Test
    void firSequenceNumbersAdvanceAndWrap() {
        int first = limiter.nextFirSequence();
        assertThat(limiter.nextFirSequence()).isEqualTo((first + 1) & 0xFF);
        for (int i = 0; i < 254; i++) {
            limiter.nextFirSequence();
        }
        assertThat(limiter.nextFirSequence()).isEqualTo(first);
    }

    private static long ms(long millis) {
        return millis * 1_000_000;
    }
}
