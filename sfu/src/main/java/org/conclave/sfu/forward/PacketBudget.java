package org.conclave.sfu.forward;

/**
 * A token bucket of packets per second, holding at most one second's worth: what an endpoint may spend on work a
 * flood could make expensive (STUN integrity checks, DTLS handshake records). Packet thread only; no allocation.
 */
final class PacketBudget {
    private static final long SECOND = 1_000_000_000L;

    /** Nanoseconds of credit one packet costs. */
    private final long cost;
    /** Credit in nanoseconds, up to one second; -1 until the first packet. */
    private long credit = -1;
    private long last;

    PacketBudget(int perSecond) {
        if (perSecond <= 0) throw new IllegalArgumentException("packets per second must be positive: " + perSecond);
        this.cost = SECOND / perSecond;
    }

    /** @return true if a packet may be handled at {@code now}, spending its share; false: over budget, drop it */
    boolean take(long now) {
        if (credit < 0) {
            credit = SECOND;
        } else {
            credit = Math.min(SECOND, credit + Math.max(0, now - last));
        }
        last = now;
        if (credit < cost) return false;
        credit -= cost;
        return true;
    }
}
