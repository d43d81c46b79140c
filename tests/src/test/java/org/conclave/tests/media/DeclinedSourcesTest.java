package org.conclave.tests.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.conclave.sfu.control.AllocateRequest;
import org.conclave.sfu.control.EndpointListener;
import org.conclave.sfu.control.Role;
import org.conclave.sfu.control.SfuControl;
import org.conclave.tests.client.JavaPeer;
import org.junit.jupiter.api.Test;

/**
 * A receiver may decline (port 0) the m-lines the SFU offers it: it then gets none of that media, and the SFU does not
 * offer the same again and again (the benchmark once caught 3,190 identical re-offers in 10 s).
 */
class DeclinedSourcesTest {

    @Test
    void declinedSourcesAreNeitherForwardedNorOfferedAgain() throws Exception {
        try (SfuFixture f = SfuFixture.start(); JavaPeer sender = new JavaPeer(); JavaPeer decliner = new JavaPeer();
                JavaPeer viewer = new JavaPeer()) {
            SfuControl control = f.sfu.control();
            PacketOpacityTest.join(control, sender, "sender");
            decliner.declineDownstream = true;
            AtomicInteger offersToDecliner = new AtomicInteger();
            String id = control.allocate(new AllocateRequest("java", "decliner", Role.GUEST), new EndpointListener() {
                @Override
                public void onOffer(String endpointId, String sdpOffer) {
                    offersToDecliner.incrementAndGet();
                    control.applyAnswer(endpointId, decliner.answerTo(sdpOffer));
                }
            }).toCompletableFuture().get(5, TimeUnit.SECONDS).endpointId();
            decliner.connect(control.applyOffer(id, decliner.offer()).toCompletableFuture().get(5, TimeUnit.SECONDS));
            PacketOpacityTest.join(control, viewer, "viewer");

            // Media flows until the viewer (who accepted) gets plenty: the decliner must get none of it.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            int seq = 0;
            while (viewer.received.size() < 200 && System.nanoTime() < deadline) {
                sender.sendRtp(sender.videoSsrc, JavaPeer.VIDEO_PT, seq, seq * 3000L, true, new byte[200]);
                sender.sendRtp(sender.audioSsrc, JavaPeer.AUDIO_PT, seq, seq * 960L, false, new byte[80]);
                seq++;
                TimeUnit.MILLISECONDS.sleep(5);
            }
            assertThat(viewer.received.size()).isGreaterThanOrEqualTo(200);
            assertThat(decliner.received).as("media the decliner declined").isEmpty();
            // One offer for the sender's sources, one for the viewer's: not a loop.
            assertThat(offersToDecliner.get()).as("offers made to the decliner").isBetween(1, 3);
        }
    }
}
