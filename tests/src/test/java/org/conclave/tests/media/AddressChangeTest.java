package org.conclave.tests.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.conclave.sfu.config.SfuConfig;
import org.conclave.sfu.forward.WorkerStats;
import org.conclave.tests.client.AudioSender;
import org.conclave.tests.client.JavaPeer;
import org.conclave.tests.harness.UdpShaper;
import org.junit.jupiter.api.Test;

/**
 * Issue 15: a client whose address changes mid-call (a NAT rebinding: its packets reach the SFU from a new port, the
 * client itself changes nothing) keeps its endpoint. Its next consent check validates the new address, media then
 * flows both ways again through it, with no new call and no ICE restart.
 */
class AddressChangeTest {
    /** The client's consent checks come every 5 s ({@link JavaPeer}); the move must follow the first of them. */
    private static final Duration RESUME = Duration.ofSeconds(12);

    @Test
    void aClientWhoseAddressChangesKeepsItsEndpointAndMediaFlowsAgainBothWays() throws Exception {
        SfuConfig config = SfuConfig.defaults().withBindAddress("127.0.0.1").withUdpPort(0).withPacketThreads(1);
        try (SfuFixture f = SfuFixture.start(config); UdpShaper nat = JavaRig.shaper(f, 0, 15);
                JavaPeer moverPeer = new JavaPeer(); JavaPeer otherPeer = new JavaPeer()) {
            JavaRig.Member mover = JavaRig.join(f.sfu.control(), "moving", "mover", moverPeer, nat);
            JavaRig.Member other = JavaRig.join(f.sfu.control(), "moving", "other", otherPeer, null);
            try (AudioSender moverMic = new AudioSender(moverPeer); AudioSender otherMic = new AudioSender(otherPeer)) {
                assertThat(flows(moverPeer, otherPeer)).as("mover heard before the change").isTrue();
                assertThat(flows(otherPeer, moverPeer)).as("mover hears before the change").isTrue();
                WorkerStats stats = f.sfu.packetStats();
                long droppedBefore = stats.unauthenticatedDrops();
                assertThat(stats.addressChanges()).isZero();

                nat.rebind();
                long changedAt = System.nanoTime();
                assertThat(JavaRig.await(() -> stats.addressChanges() == 1, RESUME))
                        .as("the endpoint moved to the new address after its consent check").isTrue();
                assertThat(flows(moverPeer, otherPeer)).as("mover heard again").isTrue();
                assertThat(flows(otherPeer, moverPeer)).as("mover hears again").isTrue();
                long resumedMs = (System.nanoTime() - changedAt) / 1_000_000;
                System.out.printf("address change: media both ways again %d ms after the rebinding; %d packets"
                        + " from the new address dropped before its check%n", resumedMs,
                        stats.unauthenticatedDrops() - droppedBefore);

                assertThat(stats.unauthenticatedDrops()).as("media from the new address before its check")
                        .isGreaterThan(droppedBefore);
                assertThat(mover.closed).as("no new call: the same endpoint").isFalse();
                assertThat(other.closed).isFalse();
                assertThat(mover.failure).isNull();
                assertThat(stats.iceRestarts()).isZero();
                assertThat(moverMic.sent()).isPositive();
                assertThat(otherMic.sent()).isPositive();
            }
        }
    }

    /** 20 more tagged audio packets from {@code from} reach {@code to} within the resume time. */
    private static boolean flows(JavaPeer from, JavaPeer to) throws InterruptedException {
        long before = to.audioPacketsFrom(from);
        return JavaRig.await(() -> to.audioPacketsFrom(from) - before >= 20, RESUME);
    }
}
