package org.conclave.sfu.forward;

import org.conclave.sfu.bwe.ClampOptions;
import org.conclave.sfu.bwe.LayerOptions;
import org.conclave.sfu.control.VideoQuality;

/**
 * Shares one receiver's downlink estimate among the streams it receives (packet thread, every 100 ms). The share of
 * a stream is its budget in the receiver's {@code LayerSelector} and the receiver's estimate in the sender's
 * {@code SenderClamp}. No allocation once the scratch array has grown to the largest receiver.
 */
final class DownlinkShares {
    /**
     * A full-res stream may use this much more than it does now: room for a sender held back by our own REMB to
     * climb (libwebrtc lets its estimate exceed the acknowledged rate by 1.5x too).
     */
    static final double DEMAND_HEADROOM = 1.5;

    private final ClampOptions clamp;
    private final LayerOptions layers;
    private OutgoingStream[] scratch = new OutgoingStream[16];

    DownlinkShares(ClampOptions clamp, LayerOptions layers) {
        this.clamp = clamp;
        this.layers = layers;
    }

    /**
     * Shares a receiver's downlink estimate among what it receives: audio and thumbnails first (everyone gets them),
     * then full-res screen shares (what they use, with headroom), then full-res cameras, max-min fair: a camera that
     * uses less than an equal share gets what it uses plus headroom (so a clamped sender can climb back), the rest
     * is split equally among the others. A stream's share is its viewer estimate in the sender's clamp and the budget
     * of its layer selector.
     */
    void allocate(EndpointMedia r, long estimate, long now) {
        long fixed = 0;
        int cameras = 0;
        if (scratch.length < r.outgoing.length) scratch = new OutgoingStream[r.outgoing.length * 2];
        for (OutgoingStream out : r.outgoing) {
            SourceRoute route = out.route;
            if (route.clamp == null || (route.layerCount > 1 && out.wanted != VideoQuality.FULL_RES)) {
                fixed += route.layerBitrateBps[0];
                if (route.clamp != null) {
                    out.budgetBps = -1;
                    if (out.selector != null) out.selector.setBudgetBps(-1);
                }
            } else if (!route.screenShare) {
                scratch[cameras++] = out;
            }
        }
        long remaining = estimate < 0 ? -1 : Math.max(0, estimate - fixed);
        for (OutgoingStream out : r.outgoing) {
            SourceRoute route = out.route;
            if (route.clamp == null || !route.screenShare || (route.layerCount > 1 && out.wanted != VideoQuality.FULL_RES)) {
                continue;
            }
            long share = remaining < 0 ? -1 : Math.min(remaining, demand(route, now));
            giveShare(out, share);
            if (remaining >= 0) remaining -= share;
        }
        if (remaining < 0) {
            for (int i = 0; i < cameras; i++) giveShare(scratch[i], -1);
            return;
        }
        // Water-filling: satisfy the small demands, split what is left equally among the rest.
        int open = cameras;
        boolean changed = true;
        while (changed && open > 0) {
            changed = false;
            long equal = remaining / open;
            for (int i = 0; i < open; i++) {
                OutgoingStream out = scratch[i];
                long d = demand(out.route, now);
                if (d <= equal) {
                    remaining -= d;
                    scratch[i] = scratch[--open];
                    scratch[open] = out;
                    i--;
                    changed = true;
                }
            }
        }
        // The clamp sees what each viewer could take (the water level), not what the sender sends now, so a small
        // demand never looks like a slow viewer.
        long level = open > 0 ? remaining / open : -1;
        long extra = open == 0 && cameras > 0 ? remaining / cameras : 0;
        for (int i = 0; i < cameras; i++) {
            OutgoingStream out = scratch[i];
            giveShare(out, open > 0 ? level : demand(out.route, now) + extra);
            scratch[i] = null;
        }
    }

    /** What a full-res stream could use: its top layer's rate plus headroom, nothing while the source is silent. */
    long demand(SourceRoute route, long now) {
        if (!route.hasInput || now - route.lastInputNanos > layers.layerTimeoutMillis() * 1_000_000) return 0;
        long top = route.layerBitrateBps[route.layerCount - 1];
        return Math.max((long) (top * DEMAND_HEADROOM), clamp.minRequestBps());
    }

    private static void giveShare(OutgoingStream out, long share) {
        out.budgetBps = share;
        out.route.clamp.setEstimate(out, share);
        if (out.selector != null) out.selector.setBudgetBps(share);
    }

}
