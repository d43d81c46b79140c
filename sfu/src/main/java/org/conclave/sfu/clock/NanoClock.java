package org.conclave.sfu.clock;

/** Monotonic time in nanoseconds, injected so time-dependent logic is tested with a fake clock. */
@FunctionalInterface
public interface NanoClock {
    NanoClock SYSTEM = System::nanoTime;

    long nanoTime();
}
