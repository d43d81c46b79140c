package org.conclave.bench.load;

/**
 * Lets a measuring thread take the counters of a worker thread (pacer, receive loop) without locks: the measuring
 * thread asks, the worker copies and clears its counters between packets and answers.
 */
final class Handover {
    private volatile long requested;
    private volatile long done;

    /** Measuring thread: asks for a handover and waits until the worker made it, or the deadline passed. */
    boolean request(long deadlineNanos) {
        long ticket = requested + 1;
        requested = ticket;
        while (done < ticket) {
            if (System.nanoTime() - deadlineNanos > 0) return false;
            Thread.onSpinWait();
            java.util.concurrent.locks.LockSupport.parkNanos(100_000);
        }
        return true;
    }

    /** Worker: whether a handover is due. */
    boolean pending() {
        return done != requested;
    }

    /** Worker: the copy is made. */
    void complete() {
        done = requested;
    }
}
