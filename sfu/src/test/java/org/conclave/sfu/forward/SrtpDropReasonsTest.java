package org.conclave.sfu.forward;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.conclave.sfu.rtp.RtpPacket;
import org.conclave.sfu.srtp.SrtpSession;
import org.junit.jupiter.api.Test;

/**
 * Two ways SRTP drops a packet, counted apart: what a client sent that does not decrypt (per endpoint, exported as
 * {@code srtp_auth}) and what the SFU cannot encrypt for a receiver (the packet thread's, {@code srtp_protect}).
 */
class SrtpDropReasonsTest {
    private final PathRig rig = new PathRig();
    private final PathRig.Client alice = rig.client("alice");
    private final PathRig.Client bob = rig.client("bob");
    private final Source audio = PathRig.audio("alice", "0", 0xA0000001L, 0x1111);

    SrtpDropReasonsTest() {
        alice.check();
        bob.check();
        alice.publish(audio);
        bob.subscribe(audio, false);
    }

    @Test
    void aPacketThatDoesNotAuthenticateCountsAgainstItsSender() {
        byte[] b = new byte[64];
        b[0] = (byte) 0x80;
        RtpPacket.setPayloadType(b, 0, 111);
        RtpPacket.setSequence(b, 0, 1);
        RtpPacket.setSsrc(b, 0, 0x1111);
        int n = alice.srtp.protectRtp(b, 0, 13);
        b[12] ^= 1; // the payload changed on the way
        rig.deliver(alice.address, Arrays.copyOf(b, n));

        assertThat(alice.media.srtpErrors).isEqualTo(1);
        assertThat(rig.stats.srtpProtectDrops()).isZero();
        assertThat(bob.rtp()).isEmpty();
    }

    @Test
    void aPacketTheSfuCannotEncryptForItsReceiverCountsOnThePacketThread() {
        fillOutboundRtp(bob.media.srtp); // every stream the receiver's session may have is taken

        alice.sendRtp(0x1111, 111, 1, 960, (byte) 1);

        assertThat(rig.stats.srtpProtectDrops()).isEqualTo(1);
        assertThat(bob.rtp()).isEmpty();
        assertThat(alice.media.srtpErrors).as("the sender's packet was fine").isZero();
        assertThat(bob.media.srtpErrors).as("and so is the receiver").isZero();
    }

    @Test
    void anRtcpCompoundTheSfuCannotEncryptCountsOnThePacketThreadToo() {
        alice.sendRtp(0x1111, 111, 1, 960, (byte) 1);
        fillOutboundRtcp(alice.media.srtp);

        rig.tick(1_100); // a receiver report to alice is due

        assertThat(rig.stats.srtpProtectDrops()).isPositive();
        assertThat(alice.media.srtpErrors).isZero();
    }

    private static void fillOutboundRtp(SrtpSession s) {
        for (int ssrc = 1; ssrc <= SrtpSession.MAX_OUTBOUND_STREAMS; ssrc++) {
            byte[] b = new byte[12 + 1 + SrtpSession.MAX_RTP_OVERHEAD];
            b[0] = (byte) 0x80;
            RtpPacket.setSsrc(b, 0, 0x7700_0000 + ssrc);
            assertThat(s.protectRtp(b, 0, 13)).isPositive();
        }
    }

    private static void fillOutboundRtcp(SrtpSession s) {
        for (int ssrc = 1; ssrc <= SrtpSession.MAX_OUTBOUND_STREAMS; ssrc++) {
            byte[] b = new byte[8 + SrtpSession.MAX_RTCP_OVERHEAD];
            b[0] = (byte) 0x80;
            b[1] = (byte) 201; // receiver report, no blocks
            b[3] = 1;
            b[4] = 0x77;
            b[7] = (byte) ssrc;
            b[6] = (byte) (ssrc >> 8);
            assertThat(s.protectRtcp(b, 0, 8)).isPositive();
        }
    }
}
