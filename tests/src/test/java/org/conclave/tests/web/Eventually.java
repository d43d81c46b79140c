package org.conclave.tests.web;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/** Polls a condition the pages reach by themselves (a click's effect, a decoded frame) until a deadline. */
final class Eventually {
    /** A condition; may read the pages. */
    interface Check {
        boolean holds() throws Exception;
    }

    private static final long POLL_NANOS = 300_000_000L;

    private Eventually() {}

    static void awaitTrue(Duration timeout, Check check, String what) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!check.holds()) {
            if (System.nanoTime() > deadline) throw new AssertionError("not within " + timeout + ": " + what);
            LockSupport.parkNanos(POLL_NANOS);
        }
    }
}
