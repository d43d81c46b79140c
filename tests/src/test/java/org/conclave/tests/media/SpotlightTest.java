package org.conclave.tests.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.conclave.sfu.control.Role;
import org.conclave.tests.client.JavaPeer;
import org.conclave.tests.client.SimulcastSender;
import org.junit.jupiter.api.Test;

/**
 * Issue #6: what a receiver gets of a simulcast sender, judged by the layer ids in the payloads it receives.
 * Spotlight raises every receiver to full-res; unspotlight drops them back to the thumbnail unless they subscribed;
 * m.call.track_subscription with a large width/height asks for full-res, unsubscribe returns to the thumbnail.
 */
class SpotlightTest {
    static final Duration SWITCH = Duration.ofSeconds(10);
    /** Packets a viewer must receive in a window before its layers are judged. */
    static final long WINDOW_PACKETS = 40;

    @Test
    void spotlightAndSubscriptionsPickTheLayer() throws Exception {
        try (SfuFixture f = SfuFixture.start(); ControlRig rig = new ControlRig(f, "spot")) {
            JavaPeer senderPeer = new JavaPeer().simulcast("lo", "hi");
            ControlRig.Party sender = rig.join("sender", Role.GUEST, false, senderPeer);
            try (SimulcastSender camera = new SimulcastSender(senderPeer,
                    List.of(JavaRig.thumbnail(100_000), JavaRig.fullRes(500_000)), 2_000, true)) {
                ControlRig.Party host = rig.join("host", Role.HOST, false);
                ControlRig.Party viewer = rig.join("viewer", Role.GUEST, false);
                List<ControlRig.Party> viewers = List.of(host, viewer);
                assertThat(JavaRig.await(() -> viewers.stream().allMatch(v -> JavaRig.videoBytes(v.member()) > 0),
                        SWITCH)).as("both viewers get video").isTrue();
                assertLayers("at first", viewers, JavaRig.THUMBNAIL_LAYER, JavaRig.THUMBNAIL_LAYER);

                long t = System.nanoTime();
                int mark = viewer.dc().mark();
                host.dc().send("org.conclave.spotlight", ControlRig.target(sender));
                awaitLayerChanged(viewer, mark, "full_res", "spotlight");
                awaitLast(viewers, JavaRig.FULL_RES_LAYER);
                long up = ms(System.nanoTime() - t);
                assertLayers("spotlighted", viewers, JavaRig.FULL_RES_LAYER, JavaRig.FULL_RES_LAYER);
                viewer.dc().await(0, "org.conclave.room_state",
                        s -> s.path("spotlight").toString().contains(sender.id()), ControlRig.TIMEOUT);

                t = System.nanoTime();
                mark = viewer.dc().mark();
                host.dc().send("org.conclave.unspotlight", ControlRig.target(sender));
                awaitLayerChanged(viewer, mark, "thumbnail", "spotlight");
                awaitLast(viewers, JavaRig.THUMBNAIL_LAYER);
                long down = ms(System.nanoTime() - t);
                assertLayers("unspotlighted", viewers, JavaRig.THUMBNAIL_LAYER, JavaRig.THUMBNAIL_LAYER);

                // The viewer subscribes at 1280x720: only it gets full-res; a spotlight round keeps it there.
                String[] track = viewer.member().videoTrack();
                assertThat(track).as("the viewer was offered the sender's video").isNotNull();
                assertThat(track[0]).isEqualTo(senderPeer.streamId);
                Map<String, Object> ref = Map.of("stream_id", track[0], "track_id", track[1]);
                t = System.nanoTime();
                mark = viewer.dc().mark();
                assertThat(viewer.dc().call("m.call.track_subscription", Map.of("subscribe",
                        List.of(Map.of("stream_id", track[0], "track_id", track[1], "width", 1280, "height", 720)),
                        "unsubscribe", List.of()), ControlRig.TIMEOUT).path("errcode").isMissingNode()).isTrue();
                awaitLayerChanged(viewer, mark, "full_res", "subscription");
                awaitLast(List.of(viewer), JavaRig.FULL_RES_LAYER);
                long subscribed = ms(System.nanoTime() - t);
                assertLayers("viewer subscribed", viewers, JavaRig.THUMBNAIL_LAYER, JavaRig.FULL_RES_LAYER);
                host.dc().call("org.conclave.spotlight", ControlRig.target(sender), ControlRig.TIMEOUT);
                awaitLast(List.of(host), JavaRig.FULL_RES_LAYER);
                host.dc().call("org.conclave.unspotlight", ControlRig.target(sender), ControlRig.TIMEOUT);
                awaitLast(List.of(host), JavaRig.THUMBNAIL_LAYER);
                assertLayers("subscribed viewer after a spotlight round", viewers, JavaRig.THUMBNAIL_LAYER,
                        JavaRig.FULL_RES_LAYER);

                t = System.nanoTime();
                mark = viewer.dc().mark();
                viewer.dc().call("m.call.track_subscription", Map.of("subscribe", List.of(),
                        "unsubscribe", List.of(ref)), ControlRig.TIMEOUT);
                awaitLayerChanged(viewer, mark, "thumbnail", "subscription");
                awaitLast(List.of(viewer), JavaRig.THUMBNAIL_LAYER);
                long unsubscribed = ms(System.nanoTime() - t);
                assertLayers("unsubscribed", viewers, JavaRig.THUMBNAIL_LAYER, JavaRig.THUMBNAIL_LAYER);

                // A small subscription is a thumbnail; subscribing to one's own track is refused.
                viewer.dc().call("m.call.track_subscription", Map.of("subscribe",
                        List.of(Map.of("stream_id", track[0], "track_id", track[1], "width", 320, "height", 180)),
                        "unsubscribe", List.of()), ControlRig.TIMEOUT);
                assertLayers("thumbnail-sized subscription", viewers, JavaRig.THUMBNAIL_LAYER, JavaRig.THUMBNAIL_LAYER);
                assertThat(sender.dc().call("m.call.track_subscription", Map.of("subscribe",
                        List.of(Map.of("stream_id", track[0], "track_id", track[1], "width", 1280, "height", 720)),
                        "unsubscribe", List.of()), ControlRig.TIMEOUT).path("errcode").asText())
                        .isEqualTo("M_INVALID_PARAM");
                System.out.printf("SpotlightTest: full-res at both viewers %d ms after spotlight, thumbnails %d ms "
                        + "after unspotlight; subscribe -> full-res in %d ms, unsubscribe -> thumbnail in %d ms; "
                        + "%d frames sent (%d key)%n", up, down, subscribed, unsubscribed, camera.framesSent(),
                        camera.keyFramesSent());
            }
            assertThat(f.sfu.packetStats().internalErrors()).isZero();
        }
    }

    /** The receiver is told what it now gets of the sender's track, and why (docs/protocol.md layer_changed). */
    private static void awaitLayerChanged(ControlRig.Party viewer, int mark, String quality, String reason)
            throws InterruptedException {
        viewer.dc().await(mark, "org.conclave.layer_changed", c -> c.path("quality").asText().equals(quality)
                && c.path("reason").asText().equals(reason), ControlRig.TIMEOUT);
    }

    private static void awaitLast(List<ControlRig.Party> viewers, int layer) throws InterruptedException {
        boolean ok = JavaRig.await(() -> viewers.stream().allMatch(v -> JavaRig.lastLayer(v.member()) == layer), SWITCH);
        assertThat(ok).as("last layer %d at %s", layer, viewers.stream()
                .map(v -> v.name() + "=" + JavaRig.lastLayer(v.member())).toList()).isTrue();
    }

    /** Over a fresh window of packets, each viewer receives exactly its expected layer. */
    private static void assertLayers(String when, List<ControlRig.Party> viewers, int... expected)
            throws InterruptedException {
        long[] before = new long[viewers.size()];
        for (int i = 0; i < viewers.size(); i++) {
            viewers.get(i).peer().ledger.resetWindow();
            before[i] = packets(viewers.get(i));
        }
        JavaRig.await(() -> {
            for (int i = 0; i < viewers.size(); i++) {
                if (packets(viewers.get(i)) - before[i] < WINDOW_PACKETS) return false;
            }
            return true;
        }, SWITCH);
        for (int i = 0; i < viewers.size(); i++) {
            Set<Integer> layers = JavaRig.windowLayers(viewers.get(i).member());
            System.out.printf("SpotlightTest: %s: %s gets layers %s%n", when, viewers.get(i).name(), layers);
            assertThat(layers).as("%s: %s", when, viewers.get(i).name()).containsExactly(expected[i]);
        }
    }

    private static long packets(ControlRig.Party p) {
        return p.peer().ledger.streams().stream().mapToLong(s -> s.packets()).sum();
    }

    private static long ms(long nanos) {
        return nanos / 1_000_000;
    }
}
