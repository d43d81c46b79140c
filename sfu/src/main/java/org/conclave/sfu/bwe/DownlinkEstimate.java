package org.conclave.sfu.bwe;

import org.conclave.sfu.rtcp.RtcpKind;

/**
 * One receiver's downlink estimate from whatever feedback it gives: REMB (its own receive-side estimate) and/or
 * transport-cc (the SFU's send-side estimate). With both fresh the smaller wins (sending more than either allows
 * is what hurts); with one, that one; with none, unknown.
 * Either is bounded by the options' min and max. One per receiver, packet thread only; no allocation after
 * construction.
 */
public final class DownlinkEstimate {
    private final EstimatorOptions options;
    private final RembEstimate remb = new RembEstimate();
    private final SendSideEstimator sendSide;

    /** @param transportCc whether the receiver negotiated transport-wide-cc (header extension and rtcp-fb) */
    public DownlinkEstimate(EstimatorOptions options, boolean transportCc) {
        this.options = options;
        this.sendSide = transportCc ? new SendSideEstimator(options) : null;
    }

    public RembEstimate remb() {
        return remb;
    }

    /** The send-side estimator to stamp and record outgoing packets with, or null without transport-cc. */
    public SendSideEstimator sendSide() {
        return sendSide;
    }

    /**
     * Feeds one RTCP packet from the receiver, already classified (e.g. by {@code RtcpCompound.kind()}).
     *
     * @return whether it was REMB or transport-cc feedback and was used
     */
    public boolean onRtcp(RtcpKind kind, byte[] b, int off, int len, long nowNanos) {
        if (kind == RtcpKind.REMB) {
            return remb.onRemb(b, off, len, nowNanos);
        }
        if (kind == RtcpKind.TRANSPORT_CC && sendSide != null) {
            return sendSide.onFeedback(b, off, len, nowNanos) >= 0;
        }
        return false;
    }

    /** @return the estimate in bit/s, or -1 when no fresh feedback exists */
    public long bitrateBps(long nowNanos) {
        long timeout = options.estimateTimeoutMillis() * 1_000_000;
        long best = Long.MAX_VALUE;
        if (remb.isFresh(nowNanos, timeout)) {
            best = remb.bitrateBps();
        }
        if (sendSide != null && sendSide.isFresh(nowNanos)) {
            best = Math.min(best, sendSide.estimateBps());
        }
        if (best == Long.MAX_VALUE) {
            return -1;
        }
        return Math.max(options.minBitrateBps(), Math.min(options.maxBitrateBps(), best));
    }
}
