package org.conclave.sfu.clock;

import java.util.concurrent.TimeUnit;

/** A clock tests move by hand. */
public final class FakeClock implements NanoClock {
    private long now = TimeUnit.SECONDS.toNanos(1000);

    @Override
    public long nanoTime() {
        return now;
    }

    public void advanceMillis(long ms) {
        now += TimeUnit.MILLISECONDS.toNanos(ms);
    }

    public void advanceNanos(long ns) {
        now += ns;
    }
}
