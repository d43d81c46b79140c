package org.conclave.keyexchange.keys;

/** Milliseconds since the epoch; injected so rotation timing can be tested without waiting. */
@FunctionalInterface
public interface WallClock {
    WallClock SYSTEM = System::currentTimeMillis;

    long currentTimeMillis();
}
