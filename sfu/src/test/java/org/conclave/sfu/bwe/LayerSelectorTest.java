package org.conclave.sfu.bwe;

import org.conclave.sfu.control.VideoQuality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.conclave.sfu.bwe.LayerSelector.DROP;
import static org.conclave.sfu.bwe.LayerSelector.FORWARD;
import static org.conclave.sfu.bwe.LayerSelector.NONE;
import static org.conclave.sfu.bwe.LayerSelector.SWITCH;

import org.conclave.sfu.clock.FakeClock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Three simulcast layers at 150 kbit/s, 500 kbit/s and 1.5 Mbit/s, all live. */
class LayerSelectorTest {
    private final FakeClock clock = new FakeClock();
    private final LayerSelector selector = new LayerSelector(LayerOptions.DEFAULTS, 3);

    @BeforeEach
    void threeLayers() {
        selector.setLayerBitrate(0, 150_000);
        selector.setLayerBitrate(1, 500_000);
        selector.setLayerBitrate(2, 1_500_000);
        allLayers(false);
    }

    @Test
    void fullResStartsOnlyAtAKeyFrameOfTheTargetLayer() {
        selector.setQuality(VideoQuality.FULL_RES);
        selector.setBudgetBps(2_000_000);
        assertThat(selector.currentLayer()).isEqualTo(NONE);
        assertThat(selector.targetLayer(now())).isEqualTo(2);
        assertThat(selector.pollKeyFrameRequest(now())).isEqualTo(2);
        assertThat(selector.pollKeyFrameRequest(now())).isEqualTo(NONE);
        assertThat(packet(2, false)).isEqualTo(DROP);
        assertThat(packet(0, true)).isEqualTo(DROP);
        clock.advanceMillis(LayerOptions.DEFAULT_KEY_FRAME_RETRY_MILLIS);
        assertThat(selector.pollKeyFrameRequest(now())).isEqualTo(2);
        assertThat(packet(2, true)).isEqualTo(SWITCH);
        assertThat(packet(2, false)).isEqualTo(FORWARD);
        assertThat(packet(1, true)).isEqualTo(DROP);
        assertThat(selector.pollKeyFrameRequest(now())).isEqualTo(NONE);
        assertThat(selector.switches()).isEqualTo(1);
    }

    @Test
    void downswitchesWhenTheBudgetShrinksKeepingTheOldLayerUntilTheKeyFrame() {
        startOn(2, VideoQuality.FULL_RES, 2_000_000);
        selector.setBudgetBps(600_000);
        assertThat(selector.targetLayer(now())).isEqualTo(1);
        assertThat(selector.pollKeyFrameRequest(now())).isEqualTo(1);
        assertThat(packet(2, false)).isEqualTo(FORWARD);
        assertThat(packet(1, false)).isEqualTo(DROP);
        assertThat(packet(1, true)).isEqualTo(SWITCH);
        assertThat(packet(2, false)).isEqualTo(DROP);
        assertThat(selector.currentLayer()).isEqualTo(1);
    }

    @Test
    void upswitchNeedsHeadroomButTheCurrentLayerMayUseTheWholeBudget() {
        startOn(1, VideoQuality.FULL_RES, 1_600_000);
        // 1.5 Mbit/s > 0.9 x 1.6 Mbit/s: stay on layer 1.
        assertThat(selector.targetLayer(now())).isEqualTo(1);
        selector.setBudgetBps(1_700_000);
        assertThat(selector.targetLayer(now())).isEqualTo(2);
        assertThat(packet(2, true)).isEqualTo(SWITCH);
        selector.setBudgetBps(1_600_000);
        assertThat(selector.targetLayer(now())).isEqualTo(2);
        selector.setBudgetBps(1_400_000);
        assertThat(selector.targetLayer(now())).isEqualTo(1);
    }

    @Test
    void thumbnailIsTheLowestLayerWhateverTheBudget() {
        startOn(2, VideoQuality.FULL_RES, 5_000_000);
        selector.setQuality(VideoQuality.THUMBNAIL);
        assertThat(selector.targetLayer(now())).isEqualTo(0);
        assertThat(packet(0, true)).isEqualTo(SWITCH);
        selector.setBudgetBps(50_000);
        assertThat(selector.targetLayer(now())).isEqualTo(0);
    }

    @Test
    void aBudgetBelowEveryLayerStillGetsTheLowestAndNoBudgetGetsTheHighest() {
        selector.setQuality(VideoQuality.FULL_RES);
        selector.setBudgetBps(10_000);
        assertThat(selector.targetLayer(now())).isEqualTo(0);
        selector.setBudgetBps(-1);
        assertThat(selector.targetLayer(now())).isEqualTo(2);
    }

    @Test
    void aLayerTheSenderStoppedIsNotATarget() {
        startOn(2, VideoQuality.FULL_RES, 5_000_000);
        // Layer 2 goes silent; 0 and 1 keep coming.
        for (int i = 0; i < 11; i++) {
            clock.advanceMillis(100);
            packet(0, false);
            packet(1, false);
        }
        assertThat(selector.targetLayer(now())).isEqualTo(1);
        assertThat(selector.pollKeyFrameRequest(now())).isEqualTo(1);
        assertThat(packet(1, true)).isEqualTo(SWITCH);
        // It comes back: switch up at its next key frame.
        assertThat(packet(2, false)).isEqualTo(DROP);
        assertThat(packet(2, true)).isEqualTo(SWITCH);
    }

    @Test
    void nothingIsLiveBeforeTheFirstPacketAndBadIndexesAreDropped() {
        LayerSelector fresh = new LayerSelector(LayerOptions.DEFAULTS, 2);
        fresh.setQuality(VideoQuality.FULL_RES);
        assertThat(fresh.targetLayer(now())).isEqualTo(NONE);
        assertThat(fresh.pollKeyFrameRequest(now())).isEqualTo(NONE);
        assertThat(fresh.onPacket(2, true, now())).isEqualTo(DROP);
        assertThat(fresh.onPacket(-1, true, now())).isEqualTo(DROP);
        assertThat(fresh.onPacket(0, true, now())).isEqualTo(SWITCH);
    }

    private void startOn(int layer, VideoQuality quality, long budget) {
        selector.setQuality(quality);
        selector.setBudgetBps(budget);
        assertThat(selector.targetLayer(now())).isEqualTo(layer);
        assertThat(packet(layer, true)).isEqualTo(SWITCH);
    }

    private void allLayers(boolean key) {
        for (int l = 0; l < 3; l++) {
            selector.onPacket(l, key, now());
        }
    }

    private int packet(int layer, boolean keyFrameStart) {
        return selector.onPacket(layer, keyFrameStart, now());
    }

    private long now() {
        return clock.nanoTime();
    }
}
