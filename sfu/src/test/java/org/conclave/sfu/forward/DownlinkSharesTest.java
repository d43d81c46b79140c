package org.conclave.sfu.forward;

import org.conclave.sfu.codec.MediaKind;
import org.conclave.sfu.codec.CodecId;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.conclave.sfu.bwe.ClampOptions;
import org.conclave.sfu.keyframe.KeyFrameBudget;
import org.conclave.sfu.keyframe.KeyFrameOptions;
import org.conclave.sfu.bwe.LayerOptions;
import org.conclave.sfu.bwe.LayerSelector;
import org.conclave.sfu.control.VideoQuality;
import org.conclave.sfu.rtp.SeqTsRewriter;
import org.junit.jupiter.api.Test;

/** How one receiver's estimate is shared: input (what it receives, each source's rates) -> each stream's share. */
class DownlinkSharesTest {
    private static final long NOW = 10_000_000_000L;
    private final DownlinkShares shares = new DownlinkShares(ClampOptions.DEFAULTS, LayerOptions.DEFAULTS);
    private final EndpointMedia receiver = new EndpointMedia("r", "c", "u", null, 1);
    private int mids;

    @Test
    void unknownEstimateLimitsNothing() {
        OutgoingStream cam = subscribe(video(150_000, 1_500_000), VideoQuality.FULL_RES);
        shares.allocate(receiver, -1, NOW);
        assertThat(cam.budgetBps).isEqualTo(-1);
    }

    @Test
    void audioAndThumbnailsComeFirstThenCamerasShareEqually() {
        subscribe(audio(40_000), VideoQuality.THUMBNAIL);
        subscribe(video(160_000, 1_500_000), VideoQuality.THUMBNAIL);
        OutgoingStream a = subscribe(video(150_000, 2_000_000), VideoQuality.FULL_RES);
        OutgoingStream b = subscribe(video(150_000, 2_000_000), VideoQuality.FULL_RES);
        shares.allocate(receiver, 2_000_000, NOW);
        // 2,000,000 - 40,000 audio - 160,000 thumbnail = 1,800,000 for two cameras wanting 3,000,000 each
        assertThat(a.budgetBps).isEqualTo(900_000);
        assertThat(b.budgetBps).isEqualTo(900_000);
        assertThat(a.route.clamp.isDemoted(a)).isFalse();
    }

    @Test
    void aSmallDemandLeavesTheRestToOthersAndSeesTheWaterLevel() {
        OutgoingStream small = subscribe(video(100_000, 200_000), VideoQuality.FULL_RES); // wants 300,000
        OutgoingStream big = subscribe(video(150_000, 2_000_000), VideoQuality.FULL_RES);
        shares.allocate(receiver, 1_800_000, NOW);
        assertThat(big.budgetBps).isEqualTo(1_500_000);
        // the clamp of the small sender sees what this viewer could take, not its current 200 kbit/s
        assertThat(small.budgetBps).isEqualTo(1_500_000);
    }

    @Test
    void everyDemandMetSpreadsTheSpareCapacity() {
        OutgoingStream a = subscribe(video(100_000, 200_000), VideoQuality.FULL_RES); // wants 300,000
        OutgoingStream b = subscribe(video(100_000, 400_000), VideoQuality.FULL_RES); // wants 600,000
        shares.allocate(receiver, 3_000_000, NOW);
        // 3,000,000 - 900,000 demanded = 2,100,000 spare, 1,050,000 each on top of the demand
        assertThat(a.budgetBps).isEqualTo(300_000 + 1_050_000);
        assertThat(b.budgetBps).isEqualTo(600_000 + 1_050_000);
    }

    @Test
    void aSilentSourceTakesNothing() {
        OutgoingStream silent = subscribe(video(150_000, 2_000_000), VideoQuality.FULL_RES);
        silent.route.lastInputNanos = NOW - 5_000_000_000L;
        OutgoingStream live = subscribe(video(150_000, 2_000_000), VideoQuality.FULL_RES);
        shares.allocate(receiver, 1_000_000, NOW);
        assertThat(live.budgetBps).isEqualTo(1_000_000);
    }

    @Test
    void screenSharesAreServedBeforeCameras() {
        OutgoingStream screen = subscribe(video(100_000, 800_000), VideoQuality.FULL_RES);
        screen.route.screenShare = true;
        OutgoingStream cam = subscribe(video(150_000, 2_000_000), VideoQuality.FULL_RES);
        shares.allocate(receiver, 1_500_000, NOW);
        assertThat(screen.budgetBps).isEqualTo(800_000 * 3 / 2); // what it uses plus headroom
        assertThat(cam.budgetBps).isEqualTo(300_000);
    }

    @Test
    void aThumbnailViewerHasNoBudgetLimit() {
        OutgoingStream thumb = subscribe(video(150_000, 2_000_000), VideoQuality.THUMBNAIL);
        shares.allocate(receiver, 500_000, NOW);
        assertThat(thumb.budgetBps).isEqualTo(-1);
    }

    // ---------------------------------------------------------------- fixtures

    private SourceRoute video(long thumbnailBps, long fullResBps) {
        SourceRoute r = route(MediaKind.VIDEO, List.of("lo", "hi"));
        r.layerBitrateBps[0] = thumbnailBps;
        r.layerBitrateBps[1] = fullResBps;
        return r;
    }

    private SourceRoute audio(long bps) {
        SourceRoute r = route(MediaKind.AUDIO, List.of());
        r.layerBitrateBps[0] = bps;
        return r;
    }

    private SourceRoute route(MediaKind kind, List<String> rids) {
        String mid = "m" + (mids++);
        Source source = new Source("s" + mid, "p", mid, kind, kind == MediaKind.AUDIO ? 48_000 : 90_000, 1000 + mids,
                "st" + mid, "tr" + mid, "c", Map.of(96, CodecId.vp8()), Map.of(), new long[0], rids, new long[0],
                Map.of(), Map.of(), true, false, kind == MediaKind.VIDEO ? 2000 + mids : 0);
        SourceRoute r = new SourceRoute(source, new EndpointMedia("s" + mid, "c", "u" + mid, null, 2),
                KeyFrameOptions.DEFAULTS, ClampOptions.DEFAULTS);
        r.hasInput = true;
        r.lastInputNanos = NOW;
        return r;
    }

    private OutgoingStream subscribe(SourceRoute route, VideoQuality wanted) {
        LayerSelector selector = route.layerCount > 1 ? new LayerSelector(LayerOptions.DEFAULTS, route.layerCount) : null;
        OutgoingStream out = new OutgoingStream(receiver, route, new byte[128], new byte[128], new byte[256], 0,
                new SeqTsRewriter(), new KeyFrameBudget(KeyFrameOptions.DEFAULTS), selector, null);
        out.wanted = wanted;
        if (route.clamp != null && (route.layerCount == 1 || wanted == VideoQuality.FULL_RES)) route.clamp.addViewer(out);
        route.addSubscriber(out);
        OutgoingStream[] next = java.util.Arrays.copyOf(receiver.outgoing, receiver.outgoing.length + 1);
        next[next.length - 1] = out;
        receiver.outgoing = next;
        return out;
    }
}
