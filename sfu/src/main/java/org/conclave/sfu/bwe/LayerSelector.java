package org.conclave.sfu.bwe;

import org.conclave.sfu.control.VideoQuality;

/**
 * Which simulcast layer of one source one receiver gets. Layers are indexed low to high (by rid order or SSRC
 * order). The target is the lowest live layer for {@link VideoQuality#THUMBNAIL}, and for
 * {@link VideoQuality#FULL_RES} the highest live layer whose observed bitrate fits the receiver's budget (the lowest
 * live one if none fits). The forwarded layer changes to the target only on a packet starting a key frame of the
 * target ({@link #onPacket} returns {@link #SWITCH}: the caller starts a new input stream in its
 * {@code SeqTsRewriter}); meanwhile the previous layer keeps flowing, and {@link #pollKeyFrameRequest} says which
 * layer needs a key frame. Packet thread only; no allocation after construction.
 */
public final class LayerSelector {
    /** {@link #onPacket} results. */
    public static final int DROP = 0;
    public static final int FORWARD = 1;
    /** Forward, and it is the first packet of a newly selected layer. */
    public static final int SWITCH = 2;
    public static final int NONE = -1;

    private final LayerOptions options;
    private final long[] bitrateBps;
    private final long[] lastPacketNanos;
    private final boolean[] seen;
    private VideoQuality quality = VideoQuality.THUMBNAIL;
    private long budgetBps = -1;
    private int current = NONE;
    private int requestedLayer = NONE;
    private long lastRequestNanos;
    private long switches;

    public LayerSelector(LayerOptions options, int layerCount) {
        if (layerCount < 1) {
            throw new IllegalArgumentException("need at least one layer: " + layerCount);
        }
        this.options = options;
        this.bitrateBps = new long[layerCount];
        this.lastPacketNanos = new long[layerCount];
        this.seen = new boolean[layerCount];
    }

    /** What the receiver should get: its subscription, overridden by a {@link SenderClamp} demotion. */
    public void setQuality(VideoQuality quality) {
        this.quality = quality;
    }

    /** The receiver's bandwidth available for this source, bit/s; -1 for no limit. */
    public void setBudgetBps(long bps) {
        this.budgetBps = bps;
    }

    /** The sender's observed bitrate of a layer (e.g. from its incoming stream's byte count). */
    public void setLayerBitrate(int layer, long bps) {
        bitrateBps[layer] = bps;
    }

    /**
     * One packet of layer {@code layer} arrived from the sender.
     *
     * @param keyFrameStart whether it starts a key frame (see {@link CodecFamily#isKeyFrameStart})
     * @return {@link #DROP}, {@link #FORWARD} or {@link #SWITCH}
     */
    public int onPacket(int layer, boolean keyFrameStart, long nowNanos) {
        if (layer < 0 || layer >= bitrateBps.length) {
            return DROP;
        }
        lastPacketNanos[layer] = nowNanos;
        seen[layer] = true;
        int target = targetLayer(nowNanos);
        if (layer == target && layer != current && keyFrameStart) {
            current = layer;
            switches++;
            return SWITCH;
        }
        return layer == current ? FORWARD : DROP;
    }

    /**
     * @return the layer to request a key frame of now (the target, while it is not the forwarded one; repeated
     *     every {@code keyFrameRetryMillis}), or {@link #NONE}
     */
    public int pollKeyFrameRequest(long nowNanos) {
        int target = targetLayer(nowNanos);
        if (target == NONE || target == current) {
            requestedLayer = NONE;
            return NONE;
        }
        if (target != requestedLayer || nowNanos - lastRequestNanos >= options.keyFrameRetryMillis() * 1_000_000) {
            requestedLayer = target;
            lastRequestNanos = nowNanos;
            return target;
        }
        return NONE;
    }

    /** The layer the receiver should get now, or {@link #NONE} while no layer is live. */
    public int targetLayer(long nowNanos) {
        int lowest = NONE;
        int best = NONE;
        for (int i = 0; i < bitrateBps.length; i++) {
            if (!isLive(i, nowNanos)) {
                continue;
            }
            if (lowest == NONE) {
                lowest = i;
                if (quality == VideoQuality.THUMBNAIL) {
                    return lowest;
                }
            }
            double allowed = i == current ? budgetBps : budgetBps * options.upswitchMargin();
            if (budgetBps < 0 || bitrateBps[i] <= allowed) {
                best = i;
            }
        }
        return best != NONE ? best : lowest;
    }

    /** The layer being forwarded, or {@link #NONE} before the first key frame. */
    public int currentLayer() {
        return current;
    }

    public long switches() {
        return switches;
    }

    private boolean isLive(int layer, long nowNanos) {
        return seen[layer] && nowNanos - lastPacketNanos[layer] <= options.layerTimeoutMillis() * 1_000_000;
    }
}
