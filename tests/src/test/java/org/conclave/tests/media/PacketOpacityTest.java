package org.conclave.tests.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.conclave.sfu.control.AllocateRequest;
import org.conclave.sfu.control.EndpointListener;
import org.conclave.sfu.control.Role;
import org.conclave.sfu.control.SfuControl;
import org.conclave.tests.client.JavaPeer;
import org.junit.jupiter.api.Test;

/**
 * Packet level: every RTP payload a sender put on the wire (opaque, SFrame-sized bytes) arrives at the receiver
 * byte for byte, while the SFU rewrites only the header (SSRC, sequence numbers, timestamps).
 */
class PacketOpacityTest {

    @Test
    void everyForwardedPayloadIsByteIdenticalAndHeadersAreRewrittenContinuously() throws Exception {
        try (SfuFixture f = SfuFixture.start(); JavaPeer a = new JavaPeer(); JavaPeer b = new JavaPeer()) {
            join(f.sfu.control(), a, "a");
            join(f.sfu.control(), b, "b");

            Random random = new Random(42);
            Map<Integer, byte[]> sent = new HashMap<>();
            int seq = 65_000; // crosses the 16-bit wrap on the way
            long ts = 4_294_000_000L;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            int counter = 0;
            while (countVideo(b) < 600 && System.nanoTime() < deadline) {
                byte[] payload = new byte[200 + random.nextInt(1000)];
                random.nextBytes(payload);
                ByteBuffer.wrap(payload).putInt(counter);
                sent.put(counter++, payload);
                a.sendRtp(a.videoSsrc, JavaPeer.VIDEO_PT, seq & 0xFFFF, ts & 0xFFFFFFFFL, true, payload);
                seq++;
                ts += 3000;
                if (counter % 20 == 0) TimeUnit.MILLISECONDS.sleep(5); // pace like a camera, not a flood
            }
            List<JavaPeer.Received> video = b.received.stream().filter(r -> r.payloadType() == JavaPeer.VIDEO_PT).toList();
            assertThat(video).hasSizeGreaterThanOrEqualTo(600);
            int previousSeq = -1;
            long previousTs = -1;
            int previousId = -1;
            int gaps = 0;
            int ssrc = video.get(0).ssrc();
            assertThat(ssrc).as("the SFU's own SSRC, not the sender's").isNotEqualTo(a.videoSsrc);
            for (JavaPeer.Received r : video) {
                int id = ByteBuffer.wrap(r.payload()).getInt();
                assertThat(r.payload()).as("payload of packet %d", id).isEqualTo(sent.get(id));
                assertThat(r.ssrc()).isEqualTo(ssrc);
                if (previousSeq >= 0) {
                    // Continuous: the numbering moves exactly as the sender's did (a datagram lost on a loaded
                    // loopback leaves the same gap in both; nothing is renumbered into it).
                    int step = id - previousId;
                    assertThat(step).as("packets arrive in order").isPositive();
                    if (step > 1) gaps++;
                    assertThat(r.sequence()).isEqualTo((previousSeq + step) & 0xFFFF);
                    assertThat(r.timestamp()).isEqualTo((previousTs + 3000L * step) & 0xFFFFFFFFL);
                }
                previousSeq = r.sequence();
                previousTs = r.timestamp();
                previousId = id;
            }
            assertThat(gaps).as("gaps of lost datagrams").isLessThanOrEqualTo(video.size() / 20);
            assertThat(f.sfu.packetStats().internalErrors()).isZero();
        }
    }

    private static long countVideo(JavaPeer p) {
        return p.received.stream().filter(r -> r.payloadType() == JavaPeer.VIDEO_PT).count();
    }

    /** Allocates, offers, connects, and answers the SFU's re-offers as they come. */
    static void join(SfuControl control, JavaPeer peer, String name) throws Exception {
        String[] id = new String[1];
        id[0] = control.allocate(new AllocateRequest("java", name, Role.GUEST), new EndpointListener() {
            @Override
            public void onOffer(String endpointId, String sdpOffer) {
                control.applyAnswer(endpointId, peer.answerTo(sdpOffer));
            }
        }).toCompletableFuture().get(5, TimeUnit.SECONDS).endpointId();
        String answer = control.applyOffer(id[0], peer.offer()).toCompletableFuture().get(5, TimeUnit.SECONDS);
        peer.connect(answer);
    }
}
