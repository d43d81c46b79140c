package org.conclave.tests.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.conclave.sfu.control.Role;
import org.conclave.sfu.control.SfuDescription;
import org.conclave.sfu.control.StreamMetadata;
import org.conclave.sfu.control.StreamMetadata.Purpose;
import org.conclave.tests.client.JavaPeer;
import org.junit.jupiter.api.Test;

/**
 * Issue #11: every SDP the SFU gives a client carries the metadata of every stream it sends in it, keyed by the msid
 * stream id the client sees (what matrix-js-sdk needs to show one feed per remote stream); a sender's mute or purpose
 * change without a new SDP reaches the others as onStreamMetadata, a host's mute shows as audio_muted, and a sender
 * that leaves leaves the metadata of the next offer.
 */
class StreamMetadataTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @Test
    void metadataFollowsStreamsMutesAndDepartures() throws Exception {
        try (SfuFixture f = SfuFixture.start(); ControlRig rig = new ControlRig(f, "metadata");
                JavaPeer alicePeer = new JavaPeer(); JavaPeer bobPeer = new JavaPeer(); JavaPeer carolPeer = new JavaPeer()) {
            ControlRig.Party host = rig.join("host", Role.HOST, false);
            JavaRig.Member alice = JavaRig.join(f.sfu.control(), "metadata", "@alice:example.org", Role.GUEST,
                    alicePeer, null, Map.of(alicePeer.streamId, StreamMetadata.own(Purpose.USERMEDIA, false, true)));
            JavaRig.Member bob = JavaRig.join(f.sfu.control(), "metadata", "@bob:example.org", Role.GUEST, bobPeer,
                    null, Map.of());
            assertThat(bob.answer.streams()).as("bob's first answer carries nothing the SFU sends yet").isEmpty();

            // Bob's first offer carries the host's and Alice's streams, as their senders described them.
            assertThat(JavaRig.await(() -> describes(bob, alicePeer.streamId), TIMEOUT)).isTrue();
            SfuDescription offer = last(bob.offers);
            assertThat(offer.streams().keySet()).as("one entry per msid stream the offer sends")
                    .containsExactlyInAnyOrderElementsOf(sentStreams(offer.sdp()));
            assertThat(offer.streams().get(alicePeer.streamId))
                    .isEqualTo(new StreamMetadata(Purpose.USERMEDIA, false, true, "@alice:example.org"));
            assertThat(offer.streams().get(host.peer().streamId))
                    .isEqualTo(new StreamMetadata(Purpose.USERMEDIA, false, false, "@host:example.org"));

            // Alice mutes herself and turns her camera on, without new SDP: Bob and the host are told, Alice is not.
            f.sfu.control().setStreamMetadata(alice.endpointId,
                    Map.of(alicePeer.streamId, StreamMetadata.own(Purpose.USERMEDIA, true, false))).toCompletableFuture().get();
            assertThat(JavaRig.await(() -> !bob.metadataUpdates.isEmpty(), TIMEOUT)).isTrue();
            assertThat(last(bob.metadataUpdates).get(alicePeer.streamId))
                    .isEqualTo(new StreamMetadata(Purpose.USERMEDIA, true, false, "@alice:example.org"));
            assertThat(last(bob.metadataUpdates).keySet()).isEqualTo(offer.streams().keySet());
            assertThat(alice.metadataUpdates).noneMatch(m -> m.containsKey(alicePeer.streamId));

            // A host mute shows as audio_muted to everyone receiving the muted sender, and so does the unmute.
            f.sfu.control().setStreamMetadata(alice.endpointId,
                    Map.of(alicePeer.streamId, StreamMetadata.own(Purpose.USERMEDIA, false, false))).toCompletableFuture().get();
            assertThat(JavaRig.await(() -> !last(bob.metadataUpdates).get(alicePeer.streamId).audioMuted(), TIMEOUT))
                    .isTrue();
            host.dc().call("org.conclave.mute", Map.of("endpoint_id", bob.endpointId), TIMEOUT);
            assertThat(JavaRig.await(() -> muted(alice, bobPeer.streamId), TIMEOUT)).as("alice sees bob muted").isTrue();
            host.dc().call("org.conclave.unmute", Map.of("endpoint_id", bob.endpointId), TIMEOUT);
            assertThat(JavaRig.await(() -> !muted(alice, bobPeer.streamId), TIMEOUT)).isTrue();

            // A newcomer's screen share is described in the others' next offers; when it leaves, its stream goes.
            JavaRig.Member carol = JavaRig.join(f.sfu.control(), "metadata", "@carol:example.org", Role.GUEST,
                    carolPeer, null, Map.of(carolPeer.streamId, StreamMetadata.own(Purpose.SCREENSHARE, true, false)));
            assertThat(JavaRig.await(() -> describes(bob, carolPeer.streamId), TIMEOUT)).isTrue();
            assertThat(last(bob.offers).streams().get(carolPeer.streamId).purpose()).isEqualTo(Purpose.SCREENSHARE);
            assertThat(JavaRig.await(() -> describes(carol, bobPeer.streamId), TIMEOUT)).isTrue();
            assertThat(last(carol.offers).streams().keySet()).containsExactlyInAnyOrder(host.peer().streamId,
                    alicePeer.streamId, bobPeer.streamId);
            f.sfu.control().close(carol.endpointId, "bye").toCompletableFuture().get();
            assertThat(JavaRig.await(() -> !describes(bob, carolPeer.streamId), TIMEOUT)).isTrue();
            assertThat(last(bob.offers).streams().keySet())
                    .containsExactlyInAnyOrderElementsOf(sentStreams(last(bob.offers).sdp()));
        }
    }

    private static boolean describes(JavaRig.Member m, String streamId) {
        return !m.offers.isEmpty() && last(m.offers).streams().containsKey(streamId);
    }

    /** Whether {@code m} was last told (offer or update, whichever came last) that the stream's audio is muted. */
    private static boolean muted(JavaRig.Member m, String streamId) {
        Map<String, StreamMetadata> latest = m.metadataUpdates.isEmpty() ? Map.of() : last(m.metadataUpdates);
        StreamMetadata s = latest.get(streamId);
        return s != null && s.audioMuted();
    }

    /** The msid stream ids of the sendonly m-lines of an SFU SDP. */
    private static List<String> sentStreams(String sdp) {
        Map<String, Boolean> ids = new LinkedHashMap<>();
        for (String section : sdp.split("\r\n(?=m=)")) {
            if (!section.contains("\r\na=sendonly")) continue;
            Matcher m = Pattern.compile("\r\na=msid:(\\S+) ").matcher(section);
            if (m.find()) ids.put(m.group(1), true);
        }
        return List.copyOf(ids.keySet());
    }

    private static <T> T last(List<T> list) {
        return list.get(list.size() - 1);
    }
}
