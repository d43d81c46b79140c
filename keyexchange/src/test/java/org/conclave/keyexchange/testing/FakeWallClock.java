package org.conclave.keyexchange.testing;

import org.conclave.keyexchange.keys.WallClock;

/** A wall clock that only moves when told to. */
public final class FakeWallClock implements WallClock {
    private long now;

    public FakeWallClock(long startMillis) {
        this.now = startMillis;
    }

    @Override
    public long currentTimeMillis() {
        return now;
    }

    public void advanceMillis(long millis) {
        now += millis;
    }
}
