package org.conclave.sfu.keyframe;

/**
 * Key-frame requests (PLI/FIR) toward one source: at most one per {@code sourceIntervalMillis}; requests in between
 * are coalesced into one sent when the interval has elapsed ({@link #poll}), so the last requester is not starved.
 * Receivers' requests first pass their {@link KeyFrameBudget}; the SFU's own (new viewer, layer switch) do not.
 * One per source (per simulcast layer SSRC when layers are separate streams). Packet thread only; no allocation.
 */
public final class KeyFrameRequestLimiter {
    /** {@link #request} results. */
    public static final int SEND_NOW = 1;
    public static final int COALESCED = 0;
    public static final int DENIED = -1;

    private final long intervalNanos;
    private boolean hasSent;
    private long lastSentNanos;
    private boolean pending;
    private int firSequence;
    private long sent;
    private long coalesced;
    private long denied;

    public KeyFrameRequestLimiter(KeyFrameOptions options) {
        this.intervalNanos = options.sourceIntervalMillis() * 1_000_000;
    }

    /**
     * A receiver's PLI/FIR for this source.
     *
     * @return {@link #SEND_NOW} (send one upstream now), {@link #COALESCED} (one goes out later via {@link #poll}) or
     *     {@link #DENIED} (the receiver is over its budget)
     */
    public int onReceiverRequest(KeyFrameBudget budget, long nowNanos) {
        if (!budget.tryAcquire(nowNanos)) {
            denied++;
            return DENIED;
        }
        return request(nowNanos);
    }

    /** The SFU's own need for a key frame. @return {@link #SEND_NOW} or {@link #COALESCED} */
    public int request(long nowNanos) {
        if (!hasSent || nowNanos - lastSentNanos >= intervalNanos) {
            markSent(nowNanos);
            return SEND_NOW;
        }
        pending = true;
        coalesced++;
        return COALESCED;
    }

    /**
     * Call periodically and on the source's packets: true when a coalesced request is due now (send it; it counts as
     * sent).
     */
    public boolean poll(long nowNanos) {
        if (pending && nowNanos - lastSentNanos >= intervalNanos) {
            markSent(nowNanos);
            return true;
        }
        return false;
    }

    /** When {@link #poll} will next return true, or Long.MAX_VALUE when nothing is pending. */
    public long nextDueNanos() {
        return pending ? lastSentNanos + intervalNanos : Long.MAX_VALUE;
    }

    public boolean hasPending() {
        return pending;
    }

    /** Command sequence number for the next FIR (RFC 5104 §4.3.1.1: incremented per new request). */
    public int nextFirSequence() {
        firSequence = (firSequence + 1) & 0xFF;
        return firSequence;
    }

    public long sent() {
        return sent;
    }

    public long coalesced() {
        return coalesced;
    }

    public long denied() {
        return denied;
    }

    private void markSent(long nowNanos) {
        hasSent = true;
        lastSentNanos = nowNanos;
        pending = false;
        sent++;
    }
}
