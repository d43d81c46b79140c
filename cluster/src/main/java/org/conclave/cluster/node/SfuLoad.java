package org.conclave.cluster.node;

import org.conclave.sfu.Sfu;

/** The {@link LoadSource} of a running {@link Sfu}: its endpoint directory, its drain, its packet thread's idle time. */
public final class SfuLoad implements LoadSource {
    private final Sfu sfu;
    private final int maxEndpoints;
    private long lastIdleNanos;
    private long lastWallNanos;

    public SfuLoad(Sfu sfu, int maxEndpoints) {
        this.sfu = sfu;
        this.maxEndpoints = maxEndpoints;
        this.lastIdleNanos = sfu.packetStats().idleNanos();
        this.lastWallNanos = System.nanoTime();
    }

    @Override
    public int endpoints() {
        return sfu.operations().directory().size();
    }

    @Override
    public int conferences() {
        return sfu.operations().directory().conferences();
    }

    @Override
    public int maxEndpoints() {
        return maxEndpoints;
    }

    @Override
    public double busyRatio() {
        long wall = System.nanoTime();
        long idle = sfu.packetStats().idleNanos();
        long elapsed = wall - lastWallNanos;
        double ratio = elapsed <= 0 ? 0 : 1 - (double) (idle - lastIdleNanos) / elapsed;
        lastWallNanos = wall;
        lastIdleNanos = idle;
        return Math.max(0, Math.min(1, ratio));
    }

    @Override
    public boolean refusing() {
        return sfu.operations().draining();
    }
}
