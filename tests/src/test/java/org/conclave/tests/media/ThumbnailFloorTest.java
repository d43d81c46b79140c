package org.conclave.tests.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.conclave.sfu.control.VideoQuality;
import org.conclave.tests.client.JavaPeer;
import org.conclave.tests.harness.UdpShaper;
import org.junit.jupiter.api.Test;

/**
 * Issue #5 point 2: a full-res viewer whose downlink is below the floor (250 kbit/s) is held on the thumbnail
 * (payload layer ids, onLayerChanged THUMBNAIL "bandwidth"); the others keep full-res; it returns when its link
 * recovers.
 */
class ThumbnailFloorTest {
    static final long SLOW = 150_000;
    static final long FAST = 3_000_000;
    static final Duration DEMOTE = Duration.ofSeconds(15);
    static final Duration RESTORE = Duration.ofSeconds(25);
    /** Packets a viewer must receive in a window before its layers are judged. */
    static final long WINDOW_PACKETS = 60;

    @Test
    void belowFloorViewerGetsTheThumbnailOthersKeepFullRes() throws Exception {
        List<AutoCloseable> closing = new ArrayList<>();
        try (SfuFixture f = SfuFixture.start()) {
            JavaRig.startSimulcastSender(f.sfu.control(), "floor", 100_000, 1_200_000, false, closing);
            long[] links = {SLOW, FAST, FAST};
            List<JavaRig.Member> viewers = new ArrayList<>();
            for (int i = 0; i < links.length; i++) {
                UdpShaper shaper = JavaRig.shaper(f, links[i], 200 + i);
                closing.add(shaper);
                JavaPeer p = new JavaPeer();
                p.keepPackets = false;
                closing.add(p);
                viewers.add(JavaRig.join(f.sfu.control(), "floor", "viewer-" + i, p, shaper));
            }
            JavaRig.Member slow = viewers.get(0);
            assertThat(JavaRig.await(() -> viewers.stream().allMatch(v -> v.videoTrack() != null
                    && JavaRig.videoBytes(v) > 0), Duration.ofSeconds(15))).isTrue();
            for (JavaRig.Member v : viewers) JavaRig.setQuality(f.sfu.control(), v, VideoQuality.FULL_RES);
            long asked = System.nanoTime();

            boolean demoted = JavaRig.await(() -> slow.layerChanges.stream()
                    .anyMatch(c -> c.quality() == VideoQuality.THUMBNAIL && c.reason().equals("bandwidth")), DEMOTE);
            System.out.printf("ThumbnailFloorTest: demotion event after %s ms; changes %s%n",
                    demoted ? ms(slow.layerChanges.get(slow.layerChanges.size() - 1).atNanos() - asked) : "never",
                    RateControlTest.describeViewers(viewers));
            assertThat(demoted).as("slow viewer's layer changes: %s", RateControlTest.describeViewers(viewers)).isTrue();

            // After the switch (at a key frame), the slow viewer gets only thumbnail packets, the others full-res.
            assertThat(JavaRig.await(() -> JavaRig.lastLayer(slow) == JavaRig.THUMBNAIL_LAYER, Duration.ofSeconds(5)))
                    .as("slow viewer's last layer").isTrue();
            Set<Integer>[] layers = window(viewers);
            System.out.printf("ThumbnailFloorTest: layers in a window while slow: %s / %s / %s%n",
                    layers[0], layers[1], layers[2]);
            assertThat(layers[0]).containsExactly(JavaRig.THUMBNAIL_LAYER);
            assertThat(layers[1]).containsExactly(JavaRig.FULL_RES_LAYER);
            assertThat(layers[2]).containsExactly(JavaRig.FULL_RES_LAYER);
            assertThat(viewers.get(1).layerChanges).noneMatch(c -> c.reason().equals("bandwidth"));

            long raised = System.nanoTime();
            slow.shaper.down().rateBps(FAST);
            boolean restored = JavaRig.await(() -> slow.layerChanges.stream()
                    .anyMatch(c -> c.atNanos() > raised && c.quality() == VideoQuality.FULL_RES), RESTORE);
            System.out.printf("ThumbnailFloorTest: restore event %s ms after the link was raised; %s%n",
                    restored ? ms(slow.layerChanges.get(slow.layerChanges.size() - 1).atNanos() - raised) : "never",
                    RateControlTest.describeViewers(viewers));
            assertThat(restored).as("slow viewer's layer changes after recovery: %s", slow.layerChanges).isTrue();
            assertThat(JavaRig.await(() -> JavaRig.lastLayer(slow) == JavaRig.FULL_RES_LAYER, Duration.ofSeconds(5)))
                    .as("full-res packets again").isTrue();
            assertThat(f.sfu.packetStats().internalErrors()).isZero();
        } finally {
            for (AutoCloseable c : closing) c.close();
        }
    }

    @SuppressWarnings("unchecked")
    private static Set<Integer>[] window(List<JavaRig.Member> viewers) throws InterruptedException {
        long[] before = new long[viewers.size()];
        for (int i = 0; i < viewers.size(); i++) {
            viewers.get(i).peer.ledger.resetWindow();
            before[i] = packets(viewers.get(i));
        }
        JavaRig.await(() -> {
            for (int i = 0; i < viewers.size(); i++) {
                if (packets(viewers.get(i)) - before[i] < WINDOW_PACKETS) return false;
            }
            return true;
        }, Duration.ofSeconds(10));
        Set<Integer>[] out = new Set[viewers.size()];
        for (int i = 0; i < viewers.size(); i++) out[i] = JavaRig.windowLayers(viewers.get(i));
        return out;
    }

    private static long packets(JavaRig.Member m) {
        return m.peer.ledger.streams().stream().mapToLong(s -> s.packets()).sum();
    }

    private static long ms(long nanos) {
        return nanos / 1_000_000;
    }
}
