package org.conclave.sfu.forward;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.conclave.sfu.rtcp.Pli;
import org.conclave.sfu.rtcp.ReceiverReport;
import org.conclave.sfu.rtcp.RtcpFeedback;
import org.conclave.sfu.rtcp.SenderReport;
import org.conclave.sfu.rtp.RtpPacket;
import org.junit.jupiter.api.Test;

/**
 * The packet path through a fake socket and clock: only ICE-validated addresses get media through; a source reaches
 * its subscribers rewritten into their numbering; RTCP is terminated and translated; key-frame requests are relayed
 * within their limits; the timers report to senders and expire silent clients.
 */
class PacketPathTest {
    private final PathRig rig = new PathRig();
    private final PathRig.Client alice = rig.client("alice");
    private final PathRig.Client bob = rig.client("bob");
    private final Source aliceAudio = PathRig.audio("alice", "0", 0xAAAA0001L, 0x1111);
    private final Source aliceVideo = PathRig.video("alice", "1", 0xAAAA0002L, 0x2222);

    @Test
    void mediaFromAnAddressNoCheckValidatedIsDropped() {
        alice.publish(aliceAudio);
        bob.check();
        bob.subscribe(aliceAudio, false);
        alice.sendRtp(0x1111, 111, 1, 960, (byte) 1, (byte) 2);
        assertThat(rig.stats.unauthenticatedDrops()).isEqualTo(1);
        assertThat(bob.rtp()).isEmpty();

        alice.check();
        assertThat(rig.sent).extracting(PathRig.Datagram::to).contains(alice.address); // the binding response
        alice.sendRtp(0x1111, 111, 2, 1920, (byte) 1, (byte) 2);
        assertThat(bob.rtp()).hasSize(1);
    }

    @Test
    void aSourceReachesItsSubscriberInTheSubscribersNumbering() {
        connect();
        alice.publish(aliceAudio);
        bob.subscribe(aliceAudio, false);
        for (int i = 0; i < 3; i++) alice.sendRtp(0x1111, 111, 65_534 + i, 960L * i, (byte) i, (byte) 0x55);
        List<byte[]> got = bob.rtp();
        assertThat(got).hasSize(3);
        int first = RtpPacket.sequence(got.get(0), 0);
        for (int i = 0; i < 3; i++) {
            byte[] p = got.get(i);
            assertThat(RtpPacket.ssrc(p, 0)).isEqualTo((int) aliceAudio.outSsrc());
            assertThat(RtpPacket.payloadType(p, 0)).isEqualTo(109);
            assertThat(RtpPacket.sequence(p, 0)).isEqualTo((first + i) & 0xFFFF);
            assertThat(p[RtpPacket.payloadOffset(p, 0)]).isEqualTo((byte) i); // the payload untouched
        }
        assertThat(alice.rtp()).as("nothing echoes back to the sender").isEmpty();
    }

    @Test
    void aSecondSsrcOnASingleLayerSourceWaitsForTheFirstToFallSilent() {
        connect();
        Source restarting = new Source("alice", "@alice", "0", org.conclave.sfu.codec.MediaKind.AUDIO, 48_000,
                0xAAAA0003L, "s", "a", "c", java.util.Map.of(111, org.conclave.sfu.codec.CodecId.opus()),
                java.util.Map.of(), new long[] {0x1111, 0x3333});
        alice.publish(restarting);
        bob.subscribe(restarting, false);
        alice.sendRtp(0x1111, 111, 100, 0, (byte) 1);
        alice.sendRtp(0x3333, 111, 7, 0, (byte) 2);
        assertThat(rig.stats.inactiveStreamDrops()).isEqualTo(1);
        rig.clock.advanceMillis(1_100);
        alice.sendRtp(0x3333, 111, 8, 960, (byte) 3);
        List<byte[]> got = bob.rtp();
        assertThat(got).hasSize(2);
        assertThat(RtpPacket.sequence(got.get(1), 0)).as("the restart continues the receiver's numbering")
                .isEqualTo((RtpPacket.sequence(got.get(0), 0) + 1) & 0xFFFF);
        alice.sendRtp(0x4444, 111, 1, 0, (byte) 4);
        assertThat(alice.media.unknownSsrcDrops).as("an SSRC no m-line declared").isEqualTo(1);
    }

    @Test
    void aPliIsRelayedToTheSenderOncePerIntervalAndTheRestCoalesced() {
        PathRig.Client carol = rig.client("carol");
        connect();
        carol.check();
        alice.publish(aliceVideo);
        bob.subscribe(aliceVideo, true);
        carol.subscribe(aliceVideo, true);
        alice.sendRtp(0x2222, 96, 1, 0, (byte) 0x10, (byte) 0, (byte) 0x9d);
        rig.clock.advanceMillis(1_000);
        int before = plis(alice.rtcp());
        bob.sendRtcp(pli(bob), 20);
        assertThat(plis(alice.rtcp()) - before).isEqualTo(1);
        assertThat(lastPliTarget(alice.rtcp())).as("naming the sender's own SSRC").isEqualTo(0x2222);
        carol.sendRtcp(pli(carol), 20);
        bob.sendRtcp(pli(bob), 20);
        assertThat(plis(alice.rtcp()) - before).as("within the interval: coalesced, and bob's repeat denied")
                .isEqualTo(1);
        rig.tick(KeyFrameOptionsDefaults.INTERVAL_MS);
        assertThat(plis(alice.rtcp()) - before).as("one for both when the interval ended").isEqualTo(2);
        rig.tick(KeyFrameOptionsDefaults.INTERVAL_MS);
        assertThat(plis(alice.rtcp()) - before).isEqualTo(2);
    }

    private byte[] pli(PathRig.Client from) {
        return pli(from, aliceVideo);
    }

    private static byte[] pli(PathRig.Client from, Source of) {
        byte[] pli = new byte[64];
        int n = ReceiverReport.writeHeader(pli, 0, from.media.rtcpSsrc, 0);
        Pli.write(pli, n, 0x5151, (int) of.outSsrc());
        return pli;
    }

    private static final class KeyFrameOptionsDefaults {
        static final long INTERVAL_MS = org.conclave.sfu.keyframe.KeyFrameOptions.DEFAULT_SOURCE_INTERVAL_MILLIS;
    }

    @Test
    void aSenderReportReachesTheSubscriberInItsSsrcAndTimestampSpace() {
        connect();
        alice.publish(aliceAudio);
        bob.subscribe(aliceAudio, false);
        alice.sendRtp(0x1111, 111, 1, 50_000, (byte) 1);
        byte[] sr = new byte[64];
        int n = SenderReport.write(sr, 0, 0x1111, 0x0102030405060708L, 50_000, 1, 1, null, 0, rig.clock.nanoTime());
        alice.sendRtcp(sr, n);
        byte[] got = bob.rtcp().get(bob.rtcp().size() - 1);
        assertThat(SenderReport.senderSsrc(got, 0)).isEqualTo((int) aliceAudio.outSsrc());
        assertThat(SenderReport.ntpTimestamp(got, 0)).isEqualTo(0x0102030405060708L);
        long outTs = RtpPacket.timestamp(bob.rtp().get(0), 0);
        assertThat(SenderReport.rtpTimestamp(got, 0)).as("the sender's RTP time in the receiver's numbering")
                .isEqualTo(outTs);
    }

    @Test
    void sendersGetReceiverReportsAndSilentClientsExpire() {
        connect();
        alice.publish(aliceAudio);
        alice.sendRtp(0x1111, 111, 1, 0, (byte) 1);
        rig.tick(1_100);
        assertThat(alice.rtcp()).anySatisfy(c -> assertThat(ReceiverReport.senderSsrc(c, 0))
                .isEqualTo(alice.media.rtcpSsrc));
        assertThat(rig.iceFailures).isEmpty();
        rig.tick(31_000);
        assertThat(rig.iceFailures).containsExactlyInAnyOrder("alice ICE_CONSENT_EXPIRED", "bob ICE_CONSENT_EXPIRED");
    }

    @Test
    void anEndpointKeepsItsLatestAddressesOnly() {
        alice.check();
        for (int i = 0; i < EndpointMedia.MAX_ADDRESSES + 2; i++) {
            // checks without nomination (a nominating one from a new address is a move: see below)
            alice.check(new java.net.InetSocketAddress(alice.address.getAddress(), 20_000 + i), false);
        }
        assertThat(alice.media.addresses).hasSize(EndpointMedia.MAX_ADDRESSES);
        assertThat(rig.path.endpoints.byAddress(alice.address)).as("the oldest was forgotten").isNull();
    }

    @Test
    void aClientWhoseAddressChangesKeepsItsEndpointOnceItsNewAddressIsChecked() {
        connect();
        alice.publish(aliceAudio);
        bob.subscribe(aliceAudio, false);
        alice.sendRtp(0x1111, 111, 1, 960, (byte) 1);
        assertThat(bob.rtp()).hasSize(1);

        java.net.InetSocketAddress before = bob.address;
        bob.address = new java.net.InetSocketAddress(before.getAddress(), 40_000); // NAT rebinding
        bob.sendRtp(0x3333, 111, 1, 960, (byte) 9);
        assertThat(rig.stats.unauthenticatedDrops()).as("not checked from there yet").isEqualTo(1);
        bob.check(bob.address, false); // its next consent check, no nomination
        alice.sendRtp(0x1111, 111, 2, 1920, (byte) 2);
        assertThat(rig.sent.get(rig.sent.size() - 1).to()).as("media still goes where it was nominated")
                .isEqualTo(before);

        bob.sendRtp(0x3333, 111, 2, 1920, (byte) 9); // media from the new address: the client is there now
        assertThat(rig.stats.addressChanges()).isEqualTo(1);
        alice.sendRtp(0x1111, 111, 3, 2880, (byte) 3);
        assertThat(rig.sent.get(rig.sent.size() - 1).to()).isEqualTo(bob.address);
        assertThat(bob.rtp()).extracting(p -> p[RtpPacket.payloadOffset(p, 0)]).contains((byte) 3);
        assertThat(rig.path.endpoints.byAddress(before)).as("the old address is no longer accepted").isNull();
        assertThat(bob.media.addresses).containsExactly(bob.address);
        assertThat(rig.iceFailures).isEmpty();
    }

    @Test
    void aClientThatNominatesItsNewAddressMovesAtOnceAndItsOldAddressIsDropped() {
        connect();
        alice.publish(aliceAudio);
        bob.subscribe(aliceAudio, false);
        java.net.InetSocketAddress before = bob.address;
        bob.address = new java.net.InetSocketAddress(before.getAddress(), 40_001); // a new local port: it knows
        bob.check(bob.address, true);
        assertThat(rig.stats.addressChanges()).isEqualTo(1);
        assertThat(rig.path.endpoints.byAddress(before)).as("the old address is no longer accepted").isNull();
        alice.sendRtp(0x1111, 111, 1, 960, (byte) 4);
        assertThat(rig.sent.get(rig.sent.size() - 1).to()).isEqualTo(bob.address);
        long dropped = rig.stats.unauthenticatedDrops();
        bob.address = before;
        bob.sendRtp(0x3333, 111, 1, 960, (byte) 9); // late packets from where it was
        assertThat(rig.stats.unauthenticatedDrops()).as("dropped and counted").isEqualTo(dropped + 1);
        assertThat(rig.stats.addressChanges()).isEqualTo(1);
    }

    /**
     * Alice publishes a screen share on the m-line s0, which the SFU created to send her Bob's camera (Chromium's
     * addTrack reuses it): both directions of the one m-line flow, told apart by SSRC (hers up, the SFU's down), and a
     * key-frame request for her share reaches her under her own SSRC.
     */
    @Test
    void aTrackOnAnMLineTheSfuAlsoSendsOnFlowsBothWays() {
        connect();
        Source bobCamera = PathRig.video("bob", "1", 0xBBBB0002L, 0x7777);
        Source aliceShare = PathRig.video("alice", "s0", 0xAAAA0005L, 0x5555);
        bob.publish(bobCamera);
        alice.subscribe(bobCamera, true);
        alice.publish(aliceAudio, aliceShare);
        bob.subscribe(aliceShare, true);
        bob.sendRtp(0x7777, 96, 1, 0, (byte) 0x10, (byte) 0, (byte) 0x9d);
        alice.sendRtp(0x5555, 96, 1, 0, (byte) 0x10, (byte) 0, (byte) 0x9d);
        assertThat(alice.rtp()).extracting(p -> RtpPacket.ssrc(p, 0)).containsExactly((int) bobCamera.outSsrc());
        assertThat(bob.rtp()).extracting(p -> RtpPacket.ssrc(p, 0)).containsExactly((int) aliceShare.outSsrc());

        rig.clock.advanceMillis(1_000);
        int before = plis(alice.rtcp());
        bob.sendRtcp(pli(bob, aliceShare), 20);
        assertThat(plis(alice.rtcp()) - before).isEqualTo(1);
        assertThat(lastPliTarget(alice.rtcp())).isEqualTo(0x5555);
    }

    /** The timers let the buffers a burst grew shrink back: the sender's packet cache and the receiver's sent log. */
    @Test
    void housekeepingShrinksTheBuffersABurstGrew() {
        connect();
        alice.publish(aliceVideo);
        bob.subscribe(aliceVideo, true);
        byte[] payload = new byte[1_000];
        for (int i = 0; i < 300; i++) alice.sendRtp(0x2222, 96, 1_000 + i, 90L * i, payload); // a stalled thread's burst
        org.conclave.sfu.repair.PacketCache cache = alice.media.incoming(0x2222).cache;
        SentLog sent = bob.media.outgoing[0].sent;
        assertThat(cache.ringBytes()).isGreaterThan(300_000);
        assertThat(sent.capacity()).isEqualTo(512);
        // The burst ages out after the max age (1 s); a window (5 s) later, and within one more second, both shrink.
        for (int t = 0; t < 70; t++) rig.tick(100);
        assertThat(cache.ringBytes()).isEqualTo(org.conclave.sfu.repair.PacketCache.INITIAL_RING_BYTES);
        assertThat(cache.capacity()).isEqualTo(org.conclave.sfu.repair.PacketCache.INITIAL_CAPACITY);
        assertThat(sent.capacity()).isEqualTo(SentLog.INITIAL_CAPACITY);
        assertThat(rig.iceFailures).isEmpty();
    }

    private void connect() {
        alice.check();
        bob.check();
    }

    private static int plis(List<byte[]> compounds) {
        int n = 0;
        for (byte[] c : compounds) {
            if (c.length > 8 + 1 && (c[8 + 1] & 0xFF) == 206 && (c[8] & 0x1F) == 1) n++;
        }
        return n;
    }

    private static int lastPliTarget(List<byte[]> compounds) {
        int target = 0;
        for (byte[] c : compounds) {
            if (c.length > 8 + 1 && (c[8 + 1] & 0xFF) == 206) target = RtcpFeedback.mediaSsrc(c, 8);
        }
        return target;
    }
}
