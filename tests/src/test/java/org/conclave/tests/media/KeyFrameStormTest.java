package org.conclave.tests.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.conclave.tests.client.JavaPeer;
import org.junit.jupiter.api.Test;

/** A storm of key-frame requests from many receivers reaches the sender at most once per 200 ms. */
class KeyFrameStormTest {
    static final int RECEIVERS = 12;
    static final int PLIS_PER_RECEIVER = 100;

    @Test
    void pliStormIsCoalescedToTheSourceRate() throws Exception {
        List<JavaPeer> receivers = new ArrayList<>();
        try (SfuFixture f = SfuFixture.start(); JavaPeer sender = new JavaPeer()) {
            PacketOpacityTest.join(f.sfu.control(), sender, "sender");
            for (int i = 0; i < RECEIVERS; i++) {
                JavaPeer r = new JavaPeer();
                receivers.add(r);
                PacketOpacityTest.join(f.sfu.control(), r, "viewer-" + i);
            }
            // Video flows until every receiver got some, so each knows the SSRC it sees the sender under.
            int seq = 0;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (receivers.stream().anyMatch(r -> r.received.isEmpty()) && System.nanoTime() < deadline) {
                sender.sendRtp(sender.videoSsrc, JavaPeer.VIDEO_PT, seq, seq * 3000L, true, new byte[300]);
                seq++;
                TimeUnit.MILLISECONDS.sleep(10);
            }
            assertThat(receivers).allMatch(r -> !r.received.isEmpty());
            int before = sender.keyFrameRequests.get();

            long start = System.nanoTime();
            for (int round = 0; round < PLIS_PER_RECEIVER; round++) {
                for (JavaPeer r : receivers) r.sendPli(r.received.peek().ssrc());
                TimeUnit.MILLISECONDS.sleep(10); // a storm spread over about a second
            }
            long stormMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            // One coalesced request may still be due after the storm.
            TimeUnit.MILLISECONDS.sleep(400);
            int relayed = sender.keyFrameRequests.get() - before;
            long allowed = stormMs / 200 + 3;
            assertThat(relayed).as("%d PLIs in %d ms reached the sender as %d", RECEIVERS * PLIS_PER_RECEIVER,
                    stormMs, relayed).isBetween(1, (int) allowed);
        } finally {
            receivers.forEach(JavaPeer::close);
        }
    }
}
