package org.conclave.sfu.bwe;

/**
 * When to probe one receiver's downlink and how many bytes to send meanwhile. A receiver moved to the thumbnail
 * only ever receives thumbnail rates, so its estimate cannot climb past 1.5 times that on its own (the estimator
 * caps increases at what was acknowledged): every {@code intervalMillis} the SFU sends extra RTX copies for
 * {@code durationMillis}, paced to a target rate, and {@link #resultDue} says when the acknowledged rate tells
 * whether the path carried it. Like libwebrtc's ALR probing, but in periodic bursts of a few hundred ms so a
 * truly slow link suffers only briefly. Packet thread only; no allocation.
 */
public final class Prober {
    /** Feedback about the probe's last packets arrives within about this long (transport-cc every 50-100 ms). */
    static final long RESULT_DELAY_NANOS = 250_000_000L;

    private final long intervalNanos;
    private final long durationNanos;
    private boolean running;
    private boolean resultPending;
    private long startedNanos;
    private long lastPacedNanos;
    private long nextStartNanos = Long.MIN_VALUE;
    private double credit;
    private long probes;

    public Prober(long intervalMillis, long durationMillis) {
        if (intervalMillis <= durationMillis || durationMillis <= 0) {
            throw new IllegalArgumentException("need 0 < duration < interval: " + durationMillis + ", " + intervalMillis);
        }
        this.intervalNanos = intervalMillis * 1_000_000;
        this.durationNanos = durationMillis * 1_000_000;
    }

    /**
     * @param wanted whether the receiver needs a probe (it is held below what it asked for)
     * @return whether a probe is running now (one starts when wanted and due; a running one ends on time)
     */
    public boolean active(boolean wanted, long nowNanos) {
        if (running && nowNanos - startedNanos >= durationNanos) {
            running = false;
            resultPending = true;
        }
        if (!running && wanted && !resultPending
                && (nextStartNanos == Long.MIN_VALUE || nowNanos - nextStartNanos >= 0)) {
            running = true;
            startedNanos = nowNanos;
            lastPacedNanos = nowNanos;
            nextStartNanos = nowNanos + intervalNanos;
            credit = 0;
            probes++;
        }
        return running;
    }

    /**
     * Bytes of probe traffic to send now so that, on top of {@code currentBps} of media, the receiver gets
     * {@code targetBps} (0 when media alone reaches it).
     */
    public int bytesToSend(long targetBps, long currentBps, long nowNanos) {
        long elapsed = nowNanos - lastPacedNanos;
        lastPacedNanos = nowNanos;
        if (!running || targetBps <= currentBps || elapsed <= 0) {
            return 0;
        }
        credit += (targetBps - currentBps) / 8.0 * elapsed / 1e9;
        int bytes = (int) Math.min(credit, Integer.MAX_VALUE);
        credit -= bytes;
        return bytes;
    }

    /** True once per probe, a little after it ended: evaluate the acknowledged rate now. */
    public boolean resultDue(long nowNanos) {
        if (resultPending && nowNanos - startedNanos >= durationNanos + RESULT_DELAY_NANOS) {
            resultPending = false;
            return true;
        }
        return false;
    }

    public long probes() {
        return probes;
    }
}
