package org.conclave.sfu.forward;

/**
 * A mirror's way back to its source's home thread: the ring there, and the home route (set by the home thread once it
 * attached the pipe; until then feedback waits). The home route is only a token here: it is read and changed on its
 * own thread only.
 */
final class PipeLink {
    final PipeRing ring;
    /** This (the mirror's) thread's index: the home clamp keeps one limit per viewing thread. */
    final int threadIndex;
    SourceRoute homeRoute;
    private long lastLimitBps = Long.MIN_VALUE;

    PipeLink(PipeRing ring, int threadIndex) {
        this.ring = ring;
        this.threadIndex = threadIndex;
    }

    boolean attached() {
        return homeRoute != null;
    }

    /** Asks the home thread for a key frame of a layer (its own limiter applies there). */
    boolean requestKeyFrame(int layer) {
        if (homeRoute == null) return false;
        boolean sent = ring.offer(PipeRing.KEY_FRAME, homeRoute, layer, 0, 0);
        ring.produced |= sent;
        return sent;
    }

    /** Tells the home thread what this thread's full-res viewers can take (-1: none limits). */
    void reportLimit(long bps, boolean force) {
        if (homeRoute == null || (bps == lastLimitBps && !force)) return;
        if (ring.offer(PipeRing.CLAMP, homeRoute, threadIndex, bps, 0)) {
            ring.produced = true;
            lastLimitBps = bps;
        }
    }
}
