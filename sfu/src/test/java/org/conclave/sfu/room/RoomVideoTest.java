package org.conclave.sfu.room;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.conclave.sfu.control.Role;
import org.conclave.sfu.control.VideoQuality;
import org.conclave.sfu.codec.MediaKind;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Subscriptions, spotlight, layer changes, negotiation over the data channel. */
class RoomVideoTest extends RoomFixture {

    @BeforeEach
    void setUp() {
        joinWithCamera("host", Role.HOST);
        joinWithCamera("a", Role.GUEST);
        joinWithCamera("b", Role.GUEST);
        clear();
    }

    private void subscribe(String from, String sender, int width, int height) {
        send(from, "m.call.track_subscription", "{\"subscribe\":[{\"stream_id\":\"s-" + sender + "\",\"track_id\":\"v-"
                + sender + "\",\"width\":" + width + ",\"height\":" + height + "}]}");
    }

    @Test
    void largeSubscriptionsGetFullResSmallOnesTheThumbnail() {
        subscribe("a", "b", 320, 180);
        assertThat(media.calls).isEmpty();
        subscribe("a", "b", 640, 360);
        assertThat(media.calls).containsExactly("quality a b s-b v-b FULL_RES");
        subscribe("a", "b", 160, 90);
        assertThat(media.calls).endsWith("quality a b s-b v-b THUMBNAIL");
        subscribe("a", "b", 1280, 720);
        send("a", "m.call.track_subscription", "{\"unsubscribe\":[{\"stream_id\":\"s-b\",\"track_id\":\"v-b\"}]}");
        assertThat(media.calls).endsWith("quality a b s-b v-b FULL_RES", "quality a b s-b v-b THUMBNAIL");
        assertThat(media.qualityReasons).containsOnly("subscription");
    }

    @Test
    void subscriptionToUnknownOrOwnTrackChangesNothing() {
        send("a", "m.call.track_subscription", "{\"subscribe\":[{\"stream_id\":\"s-b\",\"track_id\":\"v-b\",\"width\":1280},"
                + "{\"stream_id\":\"nope\",\"track_id\":\"x\",\"width\":1280}]}");
        JsonNode e = out.last("a", "org.conclave.error");
        assertThat(e.get("errcode").asText()).isEqualTo("M_NOT_FOUND");
        assertThat(e.get("error").asText()).contains("nope/x");
        subscribe("a", "a", 1280, 720);
        assertThat(out.last("a", "org.conclave.error").get("errcode").asText()).isEqualTo("M_INVALID_PARAM");
        assertThat(media.calls).isEmpty();
    }

    @Test
    void spotlightForcesFullResForEveryoneAndUnspotlightRestoresSubscriptions() {
        subscribe("host", "b", 1280, 720);
        media.calls.clear();
        media.qualityReasons.clear();
        send("host", "org.conclave.spotlight", "{\"endpoint_id\":\"b\"}");
        assertThat(media.calls).containsExactly("quality a b s-b v-b FULL_RES");
        assertThat(entry("b").spotlight()).isTrue();
        assertThat(out.last("a", "org.conclave.room_state").get("spotlight").get(0).asText()).isEqualTo("b");
        // A receiver joining during the spotlight gets it too; its own video does not matter.
        room.join("late", "@late:example.org", Role.GUEST);
        assertThat(media.calls).endsWith("quality late b s-b v-b FULL_RES");
        media.calls.clear();
        send("host", "org.conclave.unspotlight", "{\"endpoint_id\":\"b\"}");
        // host subscribed full-res: unchanged; a and late go back to the thumbnail.
        assertThat(media.calls).containsExactlyInAnyOrder("quality a b s-b v-b THUMBNAIL", "quality late b s-b v-b THUMBNAIL");
        assertThat(media.qualityReasons).containsOnly("spotlight");
    }

    @Test
    void theReasonSaysWhetherASpotlightOrTheReceiverMovedTheQuality() {
        send("host", "org.conclave.spotlight", "{\"endpoint_id\":\"b\"}");
        assertThat(media.qualityReasons).containsExactly("spotlight", "spotlight");
        // a asks for full-res during the spotlight, then drops it: still full-res while b is spotlighted.
        subscribe("a", "b", 1280, 720);
        send("a", "m.call.track_subscription", "{\"unsubscribe\":[{\"stream_id\":\"s-b\",\"track_id\":\"v-b\"}]}");
        assertThat(media.calls).hasSize(2);
        subscribe("host", "b", 1280, 720);
        media.calls.clear();
        media.qualityReasons.clear();
        send("host", "org.conclave.unspotlight", "{\"endpoint_id\":\"b\"}");
        // The host keeps its subscription; a loses what the spotlight gave it.
        assertThat(media.calls).containsExactly("quality a b s-b v-b THUMBNAIL");
        assertThat(media.qualityReasons).containsExactly("spotlight");
        subscribe("a", "b", 1280, 720);
        assertThat(media.qualityReasons).endsWith("subscription");
    }

    @Test
    void spotlightLeavesScreenshareAlone() {
        room.setTracks("b", List.of(new RoomTrack("s-b", "v-b", MediaKind.VIDEO), new RoomTrack("share-b", "sv-b", MediaKind.VIDEO)));
        send("b", "m.call.sdp_stream_metadata_changed", "{\"sdp_stream_metadata\":{\"share-b\":{\"purpose\":\"m.screenshare\"}}}");
        send("host", "org.conclave.spotlight", "{\"endpoint_id\":\"b\"}");
        assertThat(media.calls).containsExactlyInAnyOrder("quality host b s-b v-b FULL_RES", "quality a b s-b v-b FULL_RES");
    }

    @Test
    void vanishedTracksDropSubscriptions() {
        subscribe("a", "b", 1280, 720);
        room.setTracks("b", List.of(new RoomTrack("s-b", "a-b", MediaKind.AUDIO)));
        room.setTracks("b", List.of(new RoomTrack("s-b", "a-b", MediaKind.AUDIO), new RoomTrack("s-b", "v-b", MediaKind.VIDEO)));
        assertThat(media.calls).containsExactly("quality a b s-b v-b FULL_RES");
        assertThat(entry("b").audioOnly()).isFalse();
    }

    @Test
    void layerChangesAreForwardedToTheReceiver() {
        room.onLayerChanged("a", "s-b", "v-b", VideoQuality.THUMBNAIL, "bandwidth");
        JsonNode c = out.last("a", "org.conclave.layer_changed");
        assertThat(c.toString()).isEqualTo(
                "{\"stream_id\":\"s-b\",\"track_id\":\"v-b\",\"quality\":\"thumbnail\",\"reason\":\"bandwidth\"}");
        room.onLayerChanged("gone", "s-b", "v-b", VideoQuality.FULL_RES, "subscription");
        assertThat(out.sent).hasSize(1);
    }

    @Test
    void negotiationRepliesWithTheSfuAnswerOrAnError() {
        CompletableFuture<String> answer = new CompletableFuture<>();
        List<String> answers = new java.util.ArrayList<>();
        room = new Room("conf", RoomOptions.DEFAULTS, clock, media, out, new NegotiationSink() {
            @Override
            public CompletionStage<String> applyOffer(String endpointId, String sdpOffer) {
                return answer;
            }

            @Override
            public CompletionStage<Void> applyAnswer(String endpointId, String sdpAnswer) {
                answers.add(endpointId + ":" + sdpAnswer);
                return CompletableFuture.failedFuture(new IllegalStateException("no offer from the SFU is waiting"));
            }
        }, java.time.Duration.ZERO);
        room.join("a", "@a:example.org", Role.GUEST);
        out.clear();
        send("a", "m.call.negotiate", "{\"request_id\":\"n1\",\"description\":{\"type\":\"offer\",\"sdp\":\"v=0 offer\"}}");
        assertThat(out.sent).isEmpty();
        answer.complete("v=0 answer");
        JsonNode reply = out.last("a", "m.call.negotiate");
        assertThat(reply.toString()).isEqualTo("{\"request_id\":\"n1\",\"description\":{\"type\":\"answer\",\"sdp\":\"v=0 answer\"}}");
        send("a", "m.call.negotiate", "{\"description\":{\"type\":\"answer\",\"sdp\":\"v=0 late\"}}");
        assertThat(answers).containsExactly("a:v=0 late");
        assertThat(out.last("a", "org.conclave.error").get("error").asText())
                .isEqualTo("your answer cannot be used: no offer from the SFU is waiting");
    }

    @Test
    void withoutASinkNegotiationIsRefusedInWords() {
        send("a", "m.call.negotiate", "{\"description\":{\"type\":\"offer\",\"sdp\":\"v=0\"}}");
        assertThat(out.last("a", "org.conclave.error").get("error").asText())
                .isEqualTo("your offer cannot be used: SDP negotiation over the data channel is not enabled on this SFU");
    }
}
