package org.conclave.sfu.bwe;

import static org.assertj.core.api.Assertions.assertThat;

import org.conclave.sfu.clock.FakeClock;
import org.conclave.sfu.rtcp.GenericNack;
import org.conclave.sfu.rtp.Bytes;
import org.conclave.sfu.rtp.Hex;
import org.conclave.sfu.rtp.RtpPacket;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class NackResponderTest {
    private final FakeClock clock = new FakeClock();
    private final PacketCache cache = new PacketCache(NackOptions.DEFAULTS);
    private final NackResponder responder = new NackResponder(cache, NackOptions.DEFAULTS);
    private final byte[] out = new byte[1600];

    @BeforeEach
    void sendTen() {
        for (int seq = 100; seq < 110; seq++) {
            cache.put(PacketCacheTest.packet(seq), 0, 20, clock.nanoTime());
        }
    }

    @Test
    void resendsCachedPacketsAndReportsTheRest() {
        byte[] nack = nack(101, 103, 200);
        assertThat(responder.onNack(nack, 0, nack.length, clock.nanoTime())).isEqualTo(2);
        assertThat(responder.resendSequence(0)).isEqualTo(101);
        assertThat(responder.resendSequence(1)).isEqualTo(103);
        assertThat(responder.writeResend(1, out, 0, clock.nanoTime())).isEqualTo(20);
        assertThat(java.util.Arrays.copyOf(out, 20)).isEqualTo(PacketCacheTest.packet(103));
        assertThat(responder.missingCount()).isEqualTo(1);
        assertThat(responder.missingSequence(0)).isEqualTo(200);
        assertThat(responder.resent()).isEqualTo(1);
    }

    @Test
    void sameSequenceAtMostOncePerResendInterval() {
        byte[] nack = nack(104, 104, 105);
        assertThat(responder.onNack(nack, 0, nack.length, clock.nanoTime())).isEqualTo(2);
        clock.advanceMillis(50);
        assertThat(responder.onNack(nack, 0, nack.length, clock.nanoTime())).isZero();
        assertThat(responder.suppressed()).isEqualTo(2);
        clock.advanceMillis(50);
        assertThat(responder.onNack(nack, 0, nack.length, clock.nanoTime())).isEqualTo(2);
    }

    @Test
    void rtxUsesItsOwnSsrcPayloadTypeAndSequence() {
        responder.enableRtx(0x0BADCAFE, 97, 65_535);
        byte[] nack = nack(102, 108);
        assertThat(responder.onNack(nack, 0, nack.length, clock.nanoTime())).isEqualTo(2);
        int n = responder.writeResend(0, out, 0, clock.nanoTime());
        assertThat(n).isEqualTo(22);
        assertThat(RtpPacket.ssrc(out, 0)).isEqualTo(0x0BADCAFE);
        assertThat(RtpPacket.payloadType(out, 0)).isEqualTo(97);
        assertThat(RtpPacket.sequence(out, 0)).isEqualTo(65_535);
        assertThat(Bytes.uint16(out, 12)).isEqualTo(102);
        assertThat(Hex.string(out, 14, 8)).isEqualTo(Hex.string(PacketCacheTest.packet(102), 12, 8));
        responder.writeResend(1, out, 0, clock.nanoTime());
        assertThat(RtpPacket.sequence(out, 0)).isZero();
        assertThat(Bytes.uint16(out, 12)).isEqualTo(108);
        responder.disableRtx();
        clock.advanceMillis(100);
        responder.onNack(nack, 0, nack.length, clock.nanoTime());
        assertThat(responder.writeResend(0, out, 0, clock.nanoTime())).isEqualTo(20);
        assertThat(RtpPacket.ssrc(out, 0)).isEqualTo(0x0A000000);
    }

    @Test
    void evictedOrTooOldPacketsAreMissing() {
        clock.advanceMillis(1_001);
        byte[] nack = nack(100, 101);
        assertThat(responder.onNack(nack, 0, nack.length, clock.nanoTime())).isZero();
        assertThat(responder.missingCount()).isEqualTo(2);
    }

    @Test
    void ignoresAnythingButANack() {
        byte[] pli = Hex.bytes("81 ce 00 02 00 00 00 01 00 00 00 02");
        assertThat(responder.onNack(pli, 0, pli.length, clock.nanoTime())).isZero();
        assertThat(responder.missingCount()).isZero();
        byte[] nack = nack(101);
        assertThat(responder.onNack(nack, 0, nack.length - 1, clock.nanoTime())).isZero();
    }

    @Test
    void aNackForHugelyManyPacketsIsBounded() {
        int[] seqs = new int[2000];
        for (int i = 0; i < seqs.length; i++) {
            seqs[i] = (1000 + i * 17) & 0xFFFF;
        }
        byte[] buf = new byte[12 + 4 * 2000];
        int n = GenericNack.write(buf, 0, 1, 0x0A, seqs, seqs.length);
        assertThat(responder.onNack(buf, 0, n, clock.nanoTime())).isZero();
        assertThat(responder.missingCount()).isEqualTo(NackResponder.MAX_SEQUENCES_PER_NACK);
    }

    private static byte[] nack(int... seqs) {
        byte[] buf = new byte[100];
        int n = GenericNack.write(buf, 0, 1, 0x0A, seqs, seqs.length);
        return java.util.Arrays.copyOf(buf, n);
    }
}
