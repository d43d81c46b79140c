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
 * Issue 15: a client whose address changes mid-call keeps its endpoint (no new call, no ICE restart). The test's UDP
 * relay plays the client's network: {@link UdpShaper#rebind} gives its packets a new source port at the SFU.
 * <ul>
 *   <li>A client that knows it moved (a new local port or interface) checks and nominates the new path at once: media
 *       resumes both ways within 2 s, and what still comes from the old address is dropped and counted.
 *   <li>A NAT rebinding the client does not see: its next consent check validates the new address and its media from
 *       there moves the endpoint.
 * </ul>
 */
class AddressChangeTest {
    private static final Duration MOVED_RESUME = Duration.ofSeconds(2);
    /** The client's consent checks come every 5 s ({@link JavaPeer}); the move follows the first of them. */
    private static final Duration REBINDING_RESUME = Duration.ofSeconds(12);

    @Test
    void aClientThatMovesResumesWithinTwoSecondsOnTheSameEndpointAndItsOldAddressIsDropped() throws Exception {
        try (SfuFixture f = SfuFixture.start(config()); UdpShaper net = JavaRig.shaper(f, 0, 15);
                JavaPeer moverPeer = new JavaPeer(); JavaPeer otherPeer = new JavaPeer()) {
            JavaRig.Member mover = JavaRig.join(f.sfu.control(), "moving", "mover", moverPeer, net);
            JavaRig.Member other = JavaRig.join(f.sfu.control(), "moving", "other", otherPeer, null);
            try (AudioSender moverMic = new AudioSender(moverPeer); AudioSender otherMic = new AudioSender(otherPeer)) {
                assertThat(flows(moverPeer, otherPeer, MOVED_RESUME.multipliedBy(5))).isTrue();
                assertThat(flows(otherPeer, moverPeer, MOVED_RESUME.multipliedBy(5))).isTrue();
                WorkerStats stats = f.sfu.packetStats();

                net.rebind();
                long movedAt = System.nanoTime();
                moverPeer.checkNow(true);
                assertThat(flows(moverPeer, otherPeer, MOVED_RESUME)).as("mover heard again within 2 s").isTrue();
                assertThat(flows(otherPeer, moverPeer, MOVED_RESUME)).as("mover hears again within 2 s").isTrue();
                long resumedMs = (System.nanoTime() - movedAt) / 1_000_000;
                assertThat(stats.addressChanges()).isEqualTo(1);

                long dropped = stats.unauthenticatedDrops();
                long heard = otherPeer.audioPacketsFrom(moverPeer);
                net.sendFromPreviousPort(rtpLooking());
                assertThat(JavaRig.await(() -> stats.unauthenticatedDrops() > dropped, MOVED_RESUME))
                        .as("a packet from the old address is dropped and counted").isTrue();
                System.out.printf("address change (client moved): media both ways again %d ms after the move; a"
                        + " packet from the old address dropped (unauthenticated drops %d -> %d)%n", resumedMs,
                        dropped, stats.unauthenticatedDrops());
                assertSameCall(mover, other, stats);
                assertThat(otherPeer.audioPacketsFrom(moverPeer)).isGreaterThanOrEqualTo(heard);
                assertThat(moverMic.sent() + otherMic.sent()).isPositive();
            }
        }
    }

    @Test
    void aNatRebindingIsFollowedAfterTheClientsNextConsentCheck() throws Exception {
        try (SfuFixture f = SfuFixture.start(config()); UdpShaper nat = JavaRig.shaper(f, 0, 16);
                JavaPeer moverPeer = new JavaPeer(); JavaPeer otherPeer = new JavaPeer()) {
            JavaRig.Member mover = JavaRig.join(f.sfu.control(), "rebinding", "mover", moverPeer, nat);
            JavaRig.Member other = JavaRig.join(f.sfu.control(), "rebinding", "other", otherPeer, null);
            try (AudioSender moverMic = new AudioSender(moverPeer); AudioSender otherMic = new AudioSender(otherPeer)) {
                assertThat(flows(moverPeer, otherPeer, REBINDING_RESUME)).isTrue();
                assertThat(flows(otherPeer, moverPeer, REBINDING_RESUME)).isTrue();
                WorkerStats stats = f.sfu.packetStats();
                long droppedBefore = stats.unauthenticatedDrops();

                nat.rebind();
                long changedAt = System.nanoTime();
                assertThat(JavaRig.await(() -> stats.addressChanges() == 1, REBINDING_RESUME))
                        .as("the endpoint moved after the client's consent check from its new address").isTrue();
                assertThat(flows(moverPeer, otherPeer, REBINDING_RESUME)).as("mover heard again").isTrue();
                assertThat(flows(otherPeer, moverPeer, REBINDING_RESUME)).as("mover hears again").isTrue();
                System.out.printf("address change (NAT rebinding): media both ways again %d ms after it; %d packets"
                        + " from the new address dropped before its check%n",
                        (System.nanoTime() - changedAt) / 1_000_000, stats.unauthenticatedDrops() - droppedBefore);
                assertThat(stats.unauthenticatedDrops()).as("media from the new address before its check")
                        .isGreaterThan(droppedBefore);
                assertSameCall(mover, other, stats);
                assertThat(moverMic.sent() + otherMic.sent()).isPositive();
            }
        }
    }

    private static SfuConfig config() {
        return SfuConfig.defaults().withBindAddress("127.0.0.1").withUdpPort(0).withPacketThreads(1);
    }

    private static void assertSameCall(JavaRig.Member mover, JavaRig.Member other, WorkerStats stats) {
        assertThat(mover.closed).as("no new call: the same endpoint").isFalse();
        assertThat(other.closed).isFalse();
        assertThat(mover.failure).isNull();
        assertThat(stats.iceRestarts()).isZero();
    }

    /** An SRTP-looking datagram (version 2, payload type 111): whoever sent it, not from a validated address. */
    private static byte[] rtpLooking() {
        byte[] b = new byte[60];
        b[0] = (byte) 0x80;
        b[1] = 111;
        return b;
    }

    /** 20 more tagged audio packets from {@code from} reach {@code to} within {@code within}. */
    private static boolean flows(JavaPeer from, JavaPeer to, Duration within) throws InterruptedException {
        long before = to.audioPacketsFrom(from);
        return JavaRig.await(() -> to.audioPacketsFrom(from) - before >= 20, within);
    }
}
