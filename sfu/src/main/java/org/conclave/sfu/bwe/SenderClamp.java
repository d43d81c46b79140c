package org.conclave.sfu.bwe;

import org.conclave.sfu.control.VideoQuality;

import java.util.Arrays;
import java.util.List;

/**
 * The bitrate to ask one sender's full-res stream for: the minimum of the estimates of the receivers viewing it,
 * leaving out receivers below the floor, which are moved to the thumbnail instead (with hysteresis: demoted after
 * {@code enterFloorMillis} below the floor, back after {@code leaveFloorMillis} above {@code floor × recoverFactor}).
 * A new request goes out when it moved by more than {@code changeThreshold}, else every {@code refreshMillis}.
 *
 * <p>Viewers are added and removed on subscription changes (may allocate); {@link #setEstimate} and
 * {@link #evaluate} run on the packet thread without allocating, except for the rare {@link LayerDecision}.
 * Not thread-safe.
 *
 * @param <V> how the caller identifies a viewer (compared by identity)
 */
public final class SenderClamp<V> {
    private static final long NOT_SINCE = Long.MIN_VALUE;

    private final ClampOptions options;
    private Object[] viewers = new Object[0];
    private long[] estimates = new long[0];
    private boolean[] demoted = new boolean[0];
    private long[] conditionSince = new long[0];
    /** Limits of viewers elsewhere (another packet thread's viewers, as one), by slot; -1 for none. */
    private long[] external = new long[0];
    private long viewerLimitBps = -1;
    private long requestedBps = -1;
    private long lastSentBps = -1;
    private long lastSentNanos;

    public SenderClamp(ClampOptions options) {
        this.options = options;
    }

    /** A receiver started viewing the full-res stream; its estimate is unknown until {@link #setEstimate}. */
    public void addViewer(V viewer) {
        if (indexOf(viewer) >= 0) {
            return;
        }
        int n = viewers.length;
        viewers = Arrays.copyOf(viewers, n + 1);
        estimates = Arrays.copyOf(estimates, n + 1);
        demoted = Arrays.copyOf(demoted, n + 1);
        conditionSince = Arrays.copyOf(conditionSince, n + 1);
        viewers[n] = viewer;
        estimates[n] = -1;
        conditionSince[n] = NOT_SINCE;
    }

    public void removeViewer(V viewer) {
        int i = indexOf(viewer);
        if (i < 0) {
            return;
        }
        int last = viewers.length - 1;
        viewers[i] = viewers[last];
        estimates[i] = estimates[last];
        demoted[i] = demoted[last];
        conditionSince[i] = conditionSince[last];
        viewers = Arrays.copyOf(viewers, last);
        estimates = Arrays.copyOf(estimates, last);
        demoted = Arrays.copyOf(demoted, last);
        conditionSince = Arrays.copyOf(conditionSince, last);
    }

    /** @param bps the viewer's downlink estimate, or -1 when unknown (then it neither limits nor gets demoted) */
    public void setEstimate(V viewer, long bps) {
        int i = indexOf(viewer);
        if (i >= 0) {
            estimates[i] = bps;
        }
    }

    /**
     * Re-evaluates the floor group and the request; call it periodically (e.g. every 100 ms) and after estimates move.
     *
     * @param decisions receives a {@link LayerDecision} for each viewer moved to or back from the thumbnail
     * @return the bitrate to send to the sender now (REMB/TMMBR), or -1 when nothing needs sending
     */
    @SuppressWarnings("unchecked")
    public long evaluate(long nowNanos, List<LayerDecision<V>> decisions) {
        long min = Long.MAX_VALUE;
        for (int i = 0; i < viewers.length; i++) {
            long estimate = estimates[i];
            if (estimate < 0) {
                conditionSince[i] = NOT_SINCE;
                continue;
            }
            if (!demoted[i]) {
                if (estimate < options.floorBps()) {
                    if (held(i, nowNanos, options.enterFloorMillis())) {
                        demoted[i] = true;
                        conditionSince[i] = NOT_SINCE;
                        decisions.add(new LayerDecision<>((V) viewers[i], VideoQuality.THUMBNAIL));
                    }
                    // Below the floor it no longer limits the others, even before it is demoted.
                    continue;
                }
                conditionSince[i] = NOT_SINCE;
                min = Math.min(min, estimate);
            } else if (estimate > options.floorBps() * options.recoverFactor()) {
                if (held(i, nowNanos, options.leaveFloorMillis())) {
                    demoted[i] = false;
                    conditionSince[i] = NOT_SINCE;
                    decisions.add(new LayerDecision<>((V) viewers[i], VideoQuality.FULL_RES));
                    min = Math.min(min, estimate);
                }
            } else {
                conditionSince[i] = NOT_SINCE;
            }
        }
        viewerLimitBps = min == Long.MAX_VALUE ? -1 : min;
        for (long limit : external) {
            if (limit >= 0) min = Math.min(min, limit);
        }
        long target = min == Long.MAX_VALUE ? options.maxRequestBps() : min;
        requestedBps = Math.max(options.minRequestBps(), Math.min(options.maxRequestBps(), target));
        boolean send = lastSentBps < 0
                || Math.abs(requestedBps - lastSentBps) > options.changeThreshold() * lastSentBps
                || nowNanos - lastSentNanos >= options.refreshMillis() * 1_000_000;
        if (!send) {
            return -1;
        }
        lastSentBps = requestedBps;
        lastSentNanos = nowNanos;
        return requestedBps;
    }

    /**
     * What viewers elsewhere can take (another packet thread's full-res viewers, already without those below the
     * floor, which that thread demotes itself): counts like one more viewer that is never demoted.
     *
     * @param slot which elsewhere (a thread index)
     * @param bps their limit, or -1 when none limits
     */
    public void setExternalLimit(int slot, long bps) {
        if (slot >= external.length) {
            int n = external.length;
            external = Arrays.copyOf(external, slot + 1);
            Arrays.fill(external, n, external.length, -1);
        }
        external[slot] = bps;
    }

    /** The lowest estimate of this clamp's own viewers that are not below the floor at the last evaluate; -1 none. */
    public long viewerLimitBps() {
        return viewerLimitBps;
    }

    /** The request computed by the last {@link #evaluate}, sent or not; -1 before the first. */
    public long requestedBitrateBps() {
        return requestedBps;
    }

    /** Whether the viewer is currently moved to the thumbnail. */
    public boolean isDemoted(V viewer) {
        int i = indexOf(viewer);
        return i >= 0 && demoted[i];
    }

    public int viewerCount() {
        return viewers.length;
    }

    /** Whether the condition for a change held since at least {@code millis}; starts timing it if new. */
    private boolean held(int i, long nowNanos, long millis) {
        if (conditionSince[i] == NOT_SINCE) {
            conditionSince[i] = nowNanos;
        }
        return nowNanos - conditionSince[i] >= millis * 1_000_000;
    }

    private int indexOf(Object viewer) {
        for (int i = 0; i < viewers.length; i++) {
            if (viewers[i] == viewer) {
                return i;
            }
        }
        return -1;
    }
}
