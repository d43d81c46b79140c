package org.conclave.sfu.bwe;

/**
 * Send-side bandwidth estimate of one receiver's downlink from its transport-cc feedback
 * (draft-holmer-rmcat-transport-wide-cc-extensions-01), with a simplified GCC (draft-ietf-rmcat-gcc-02): a
 * delay-based part ({@link InterArrival} → {@link TrendlineEstimator} → {@link AimdRateControl}) and a loss-based part
 * ({@link LossBasedControl}); the estimate is the smaller, bounded by the options' min and max.
 *
 * <p>Packet path: for each packet sent to the receiver, stamp {@link #nextSequence()} into its transport-wide-cc
 * header extension and, if that worked, call {@link #onPacketSent}; for each transport-cc RTCP packet from the
 * receiver call {@link #onFeedback}. One instance per receiver, owned by the packet thread: not thread-safe, no
 * allocation after construction.
 */
public final class SendSideEstimator {
    /** Window of the acknowledged bitrate (libwebrtc kInitialRateWindowMs), on the receiver's arrival clock. */
    static final long ACKED_WINDOW_US = 500_000;
    static final int ACKED_WINDOW_BUCKETS = 25;
    /**
     * Feedback naming more packets than the history holds is refused: it cannot be about packets we remember, and a
     * 20-byte packet could otherwise make us walk 65535 statuses.
     */
    public static final int ERR_TOO_MANY_STATUSES = -6;
    /** Reference time field width: 24 bits (draft-holmer §3.1). */
    private static final int REFERENCE_BITS = 24;

    private final EstimatorOptions options;
    private final SendHistory history;
    private final TransportFeedback feedback = new TransportFeedback();
    private final InterArrival interArrival = new InterArrival();
    private final TrendlineEstimator trendline = new TrendlineEstimator();
    private final BitrateWindow acked = new BitrateWindow(ACKED_WINDOW_US, ACKED_WINDOW_BUCKETS);
    private final AimdRateControl delayBased;
    private final LossBasedControl lossBased;
    // This feedback's newly acknowledged packets, to sort by arrival (no feedback can name more than the history
    // holds: they grow with it).
    private long[] ackArrivalUs;
    private long[] ackSendNanos;
    private int ackCount;

    private long nextExtSeq;
    private long estimateBps;
    private boolean hasReference;
    private int lastReferenceRaw;
    private long referenceTicks;
    private long lastFeedbackNanos;
    private boolean hasFeedback;
    private long feedbackErrors;
    private long unknownPacketReports;

    public SendSideEstimator(EstimatorOptions options) {
        this(options, 1);
    }

    /** @param firstSequence transport-wide sequence number of the first packet (libwebrtc starts at 1) */
    public SendSideEstimator(EstimatorOptions options, int firstSequence) {
        this.options = options;
        this.history = new SendHistory(options.historyPackets());
        this.nextExtSeq = firstSequence & 0xFFFF;
        this.delayBased = new AimdRateControl(options.startBitrateBps(), options.minBitrateBps(),
                options.maxBitrateBps());
        this.lossBased = new LossBasedControl(options.startBitrateBps(), options.minBitrateBps(),
                options.maxBitrateBps());
        this.estimateBps = options.startBitrateBps();
        this.ackArrivalUs = new long[history.capacity()];
        this.ackSendNanos = new long[history.capacity()];
    }

    /** The transport-wide sequence number to stamp into the next packet; consumed by {@link #onPacketSent}. */
    public int nextSequence() {
        return (int) (nextExtSeq & 0xFFFF);
    }

    /**
     * Records that the packet stamped with {@link #nextSequence()} went out. Call it only for packets that carry the
     * number: one never sent would be reported lost.
     *
     * @param sizeBytes what the packet costs on the wire (the SRTP packet length is close enough)
     */
    public void onPacketSent(int sizeBytes, long nowNanos) {
        history.record(nextExtSeq++, nowNanos, sizeBytes);
        if (history.capacity() > ackArrivalUs.length) {
            ackArrivalUs = new long[history.capacity()];
            ackSendNanos = new long[history.capacity()];
        }
    }

    /**
     * Housekeeping, between packets: lets the history (and the feedback arrays sized to it) shrink back after a burst
     * ({@link SendHistory#trim}).
     */
    public void trim(long nowNanos) {
        if (history.trim(nowNanos)) {
            ackArrivalUs = new long[history.capacity()];
            ackSendNanos = new long[history.capacity()];
        }
    }

    /** Packets the history holds now (it grows and shrinks with the send rate). */
    int historyCapacity() {
        return history.capacity();
    }

    /**
     * Applies one transport-cc feedback packet (one RTCP packet of kind TRANSPORT_CC, not a compound).
     *
     * @return packet statuses applied (reports about unknown or already reported packets are skipped), or a negative
     *     {@link TransportFeedback} {@code ERR_*} code or {@link #ERR_TOO_MANY_STATUSES} (the estimate is unchanged)
     */
    public int onFeedback(byte[] b, int off, int len, long nowNanos) {
        int count = feedback.reset(b, off, len);
        if (count > options.historyPackets()) {
            count = ERR_TOO_MANY_STATUSES;
        }
        if (count < 0) {
            feedbackErrors++;
            return count;
        }
        long baseUs = unwrapReference(feedback.referenceTicks()) * TransportFeedback.REFERENCE_TIME_UNIT_US;
        int applied = 0;
        int lost = 0;
        int reported = 0;
        ackCount = 0;
        while (feedback.next()) {
            long ext = history.unwrap(feedback.sequence());
            if (ext > history.highest()) {
                // Statuses are in sequence order: the rest are about packets never sent.
                unknownPacketReports++;
                break;
            }
            int slot = history.find(ext);
            if (slot < 0) {
                unknownPacketReports++;
                continue;
            }
            int state = history.state(slot);
            if (state == SendHistory.REPORTED_RECEIVED) {
                continue;
            }
            if (!feedback.received()) {
                if (state == SendHistory.UNREPORTED) {
                    history.setState(slot, SendHistory.REPORTED_LOST);
                    lost++;
                    reported++;
                    applied++;
                }
                continue;
            }
            if (state == SendHistory.UNREPORTED) {
                reported++;
            }
            history.setState(slot, SendHistory.REPORTED_RECEIVED);
            applied++;
            long arrivalUs = baseUs + feedback.arrivalOffsetUs();
            acked.add(arrivalUs, history.size(slot));
            if (ackCount < ackArrivalUs.length) {
                ackArrivalUs[ackCount] = arrivalUs;
                ackSendNanos[ackCount] = history.sendNanos(slot);
                ackCount++;
            }
        }
        // In arrival order, as libwebrtc does: a reordered packet then falls behind its group and is ignored
        // instead of looking like a delay spike.
        sortAcksByArrival();
        for (int i = 0; i < ackCount; i++) {
            if (interArrival.add(ackSendNanos[i], ackArrivalUs[i])) {
                trendline.update(interArrival.arrivalDeltaMs(), interArrival.sendDeltaMs(),
                        interArrival.arrivalTimeMs());
            }
        }
        long ackedBps = acked.rateBps();
        long delay = delayBased.update(trendline.state(), ackedBps, nowNanos);
        lossBased.onReport(lost, reported, estimateBps, nowNanos);
        estimateBps = Math.max(options.minBitrateBps(),
                Math.min(options.maxBitrateBps(), Math.min(delay, lossBased.estimateBps())));
        lastFeedbackNanos = nowNanos;
        hasFeedback = true;
        return applied;
    }

    /**
     * A probe's outcome: the path delivered {@code bps} without over-use, so the estimate may jump to it (a receiver
     * held on a thumbnail never sends enough for the estimate to climb on its own).
     */
    public void onProbeResult(long bps, long nowNanos) {
        if (bps <= estimateBps || usage() == BandwidthUsage.OVERUSING) return;
        delayBased.raiseTo(bps, nowNanos);
        lossBased.raiseTo(bps);
        estimateBps = Math.max(options.minBitrateBps(),
                Math.min(options.maxBitrateBps(), Math.min(delayBased.estimateBps(), lossBased.estimateBps())));
    }

    /** The round-trip time measured to the receiver (RTCP), which sets how fast the estimate may climb. */
    public void setRttMillis(long rttMs) {
        delayBased.setRttMillis(rttMs);
    }

    /** Current estimate of the receiver's downlink, bit/s. */
    public long estimateBps() {
        return estimateBps;
    }

    public long delayBasedBps() {
        return delayBased.estimateBps();
    }

    public long lossBasedBps() {
        return lossBased.estimateBps();
    }

    /** Acknowledged (received) bitrate over the last half second of arrivals, or -1 before any. */
    public long ackedBitrateBps() {
        return acked.rateBps();
    }

    /** Loss fraction of the last loss measurement (at least 20 packets). */
    public double lossFraction() {
        return lossBased.lossFraction();
    }

    public BandwidthUsage usage() {
        return trendline.state();
    }

    public boolean hasFeedback() {
        return hasFeedback;
    }

    /** Whether valid feedback arrived within the options' estimate timeout. */
    public boolean isFresh(long nowNanos) {
        return hasFeedback && nowNanos - lastFeedbackNanos <= options.estimateTimeoutMillis() * 1_000_000;
    }

    public long lastFeedbackNanos() {
        return lastFeedbackNanos;
    }

    /** Feedback packets rejected by the parser. */
    public long feedbackErrors() {
        return feedbackErrors;
    }

    /** Statuses about packets never sent or no longer remembered. */
    public long unknownPacketReports() {
        return unknownPacketReports;
    }

    /** Insertion sort: feedback is almost always in arrival order already, so this is linear in practice. */
    private void sortAcksByArrival() {
        for (int i = 1; i < ackCount; i++) {
            long arrival = ackArrivalUs[i];
            long send = ackSendNanos[i];
            int j = i - 1;
            while (j >= 0 && ackArrivalUs[j] > arrival) {
                ackArrivalUs[j + 1] = ackArrivalUs[j];
                ackSendNanos[j + 1] = ackSendNanos[j];
                j--;
            }
            ackArrivalUs[j + 1] = arrival;
            ackSendNanos[j + 1] = send;
        }
    }

    private long unwrapReference(int raw) {
        if (!hasReference) {
            hasReference = true;
            lastReferenceRaw = raw;
            referenceTicks = raw;
            return referenceTicks;
        }
        int diff = ((raw - lastReferenceRaw) << (32 - REFERENCE_BITS)) >> (32 - REFERENCE_BITS);
        lastReferenceRaw = raw;
        referenceTicks += diff;
        return referenceTicks;
    }
}
