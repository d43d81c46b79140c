package org.conclave.appservice.call;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.conclave.appservice.config.CallLimits;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The caps as a table: invites at given times in, verdicts out, with a fake clock. */
class InviteLimiterTest {
    /** 3 invites a minute per user, 5 per room, 2 calls at once, told at most every 10 s. */
    private static final CallLimits LIMITS = new CallLimits(3, 5, 2, 10_000);
    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final InviteLimiter limiter = new InviteLimiter(LIMITS, now::get);

    private String verdict(String user, int running, String room) {
        InviteLimiter.Refusal r = limiter.admit(user, running, room);
        return r == null ? "ok" : r.reason() + (r.tell() ? " told" : " quiet");
    }

    private void at(long millis) {
        now.set(1_000_000_000L + TimeUnit.MILLISECONDS.toNanos(millis));
    }

    /** "ms user running room" steps, semicolon-separated | the verdicts in order */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        // A burst up to the cap passes; the next is refused and told; the one after is dropped quietly.
        "0 a 0 r;0 a 0 r;0 a 0 r;0 a 0 r;1 a 0 r | ok;ok;ok;USER_RATE told;USER_RATE quiet",
        // A token comes back every 20 s (3 a minute); the refusal notice again after 10 s.
        "0 a 0 r;0 a 0 r;0 a 0 r;0 a 0 r;15000 a 0 r;20000 a 0 r;20001 a 0 r"
                + " | ok;ok;ok;USER_RATE told;USER_RATE told;ok;USER_RATE quiet",
        // Users do not share buckets; the room does (5 a minute, all callers together).
        "0 a 0 r;0 b 0 r;0 c 0 r;0 d 0 r;0 e 0 r;0 f 0 r;0 f 0 other | ok;ok;ok;ok;ok;ROOM_RATE told;ok",
        // Calls at once: refused at the cap whatever the rate; one ended, one more may start.
        "0 a 2 r;0 a 2 r;1 a 1 r | USER_CALLS told;USER_CALLS quiet;ok",
        // Refused invites still use up the user's rate; no conference known: no room cap.
        "0 a 5 -;0 a 5 -;0 a 0 -;0 a 0 - | USER_CALLS told;USER_CALLS quiet;ok;USER_RATE quiet",
    })
    void verdicts(String steps, String expected) {
        List<String> got = new ArrayList<>();
        for (String step : steps.split(";")) {
            String[] f = step.trim().split(" ");
            at(Long.parseLong(f[0]));
            got.add(verdict(f[1], Integer.parseInt(f[2]), f[3].equals("-") ? null : f[3]));
        }
        assertThat(got).containsExactly(expected.split(";"));
    }

    @Test
    void countersCountRefusalsByCapAndTheUnanswered() {
        for (int i = 0; i < 10; i++) limiter.admit("@flood:hs", 0, "!r:hs");
        limiter.admit("@busy:hs", 2, "!r:hs");
        LimitCounters c = limiter.counters();
        assertThat(c.userRate()).isEqualTo(7);
        assertThat(c.userCalls()).isEqualTo(1);
        assertThat(c.roomRate()).isZero();
        assertThat(c.unanswered()).isEqualTo(6);
    }

    /** A flood from many distinct users keeps no more state than the users of the last minute. */
    @Test
    void stateIsSweptOnceBucketsAreFullAgain() {
        for (int i = 0; i < 5 * InviteLimiter.SWEEP_ABOVE; i++) {
            at(i * 100L); // 10 new users a second: each bucket is full again a minute later
            limiter.admit("@u" + i + ":hs", 0, null);
        }
        // 600 users called within the last minute; the sweep may keep up to twice what it left.
        assertThat(limiter.tracked()).isLessThanOrEqualTo(2 * InviteLimiter.SWEEP_ABOVE);
    }
}
