package org.conclave.sfu.rtcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.conclave.sfu.rtp.Hex;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** RTPFB/PSFB parsing, writers round-tripped through the parsers, media SSRC rewriting. */
class FeedbackTest {
    @Test
    void pliRoundTrip() {
        byte[] buf = new byte[20];
        assertThat(Pli.write(buf, 2, 0x1111, 0x2222)).isEqualTo(12);
        assertThat(Hex.string(buf, 2, 12)).isEqualTo("81 ce 00 02 00 00 11 11 00 00 22 22");
        assertThat(RtcpPacket.kind(buf, 2, 12)).isEqualTo(RtcpKind.PLI);
        assertThat(RtcpFeedback.senderSsrc(buf, 2)).isEqualTo(0x1111);
        assertThat(RtcpFeedback.mediaSsrc(buf, 2)).isEqualTo(0x2222);
        assertThat(Pli.write(buf, 9, 1, 2)).isEqualTo(-1);
    }

    @Test
    void firRoundTrip() {
        byte[] buf = new byte[20];
        assertThat(Fir.write(buf, 0, 0x1111, 0x3333, 258)).isEqualTo(20);
        assertThat(Hex.string(buf, 0, 20))
                .isEqualTo("84 ce 00 04 00 00 11 11 00 00 00 00 00 00 33 33 02 00 00 00");
        assertThat(RtcpPacket.kind(buf, 0, 20)).isEqualTo(RtcpKind.FIR);
        assertThat(Fir.entryCount(buf, 0, 20)).isEqualTo(1);
        assertThat(Fir.targetSsrc(buf, 0, 0)).isEqualTo(0x3333);
        assertThat(Fir.sequenceNumber(buf, 0, 0)).isEqualTo(2);
        assertThat(RtcpFeedback.mediaSsrc(buf, 0)).isZero();
        assertThat(Fir.write(buf, 1, 1, 2, 3)).isEqualTo(-1);
    }

    @Test
    void parsesFirWithTwoEntries() {
        byte[] b = Hex.bytes("84 ce 00 06 | 00 00 00 01 | 00 00 00 00 | 00 00 00 02 | 07 00 00 00 | 00 00 00 03 | 08 00 00 00");
        assertThat(Fir.entryCount(b, 0, b.length)).isEqualTo(2);
        assertThat(Fir.targetSsrc(b, 0, 1)).isEqualTo(3);
        assertThat(Fir.sequenceNumber(b, 0, 1)).isEqualTo(8);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', value = {
            "single;                  100;                  0064/0000",
            "neighbours in one item;  100 101 116;          0064/8001",
            "17 apart needs two;      100 117;              0064/0000 0075/0000",
            "wrap;                    65535 0 1;            ffff/0003",
            "duplicate skipped;       5 5 6;                0005/0001",
            "descending: own items;   10 3;                 000a/0000 0003/0000",
            "full item;               0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17; 0000/ffff 0011/0000",
    })
    void nackPacking(String name, String lost, String items) {
        int[] seqs = Arrays.stream(lost.trim().split("\\s+")).mapToInt(Integer::parseInt).toArray();
        byte[] buf = new byte[100];
        int len = GenericNack.write(buf, 0, 0xAA, 0xBB, seqs, seqs.length);
        assertThat(RtcpPacket.kind(buf, 0, len)).isEqualTo(RtcpKind.NACK);
        assertThat(RtcpFeedback.senderSsrc(buf, 0)).isEqualTo(0xAA);
        assertThat(RtcpFeedback.mediaSsrc(buf, 0)).isEqualTo(0xBB);
        List<String> actual = new ArrayList<>();
        for (int i = 0; i < GenericNack.itemCount(buf, 0, len); i++) {
            actual.add(String.format("%04x/%04x", GenericNack.pid(buf, 0, i), GenericNack.blp(buf, 0, i)));
        }
        assertThat(String.join(" ", actual)).isEqualTo(items);

        int[] out = new int[64];
        int n = GenericNack.lostSequences(buf, 0, len, out);
        assertThat(Arrays.copyOf(out, n)).containsExactly(Arrays.stream(seqs).distinct().toArray());
    }

    @Test
    void nackWriterLimits() {
        assertThat(GenericNack.write(new byte[100], 0, 1, 2, new int[0], 0)).isEqualTo(-1);
        assertThat(GenericNack.write(new byte[15], 0, 1, 2, new int[] {1}, 1)).isEqualTo(-1);
        assertThat(GenericNack.write(new byte[16], 0, 1, 2, new int[] {1, 100}, 2)).isEqualTo(-1);
        assertThat(GenericNack.write(new byte[20], 0, 1, 2, new int[] {1, 100}, 2)).isEqualTo(20);
    }

    @Test
    void nackExpansionStopsAtOutputCapacity() {
        byte[] b = Hex.bytes("81 cd 00 03 | 00 00 00 01 | 00 00 00 02 | 00 64 ff ff");
        int[] out = new int[5];
        assertThat(GenericNack.lostSequences(b, 0, b.length, out)).isEqualTo(5);
        assertThat(out).containsExactly(100, 101, 102, 103, 104);
    }

    @Test
    void tmmbrRoundTrip() {
        byte[] buf = new byte[20];
        assertThat(Tmmbr.write(buf, 0, 0x10, 0x20, 1_500_000, 40)).isEqualTo(20);
        assertThat(RtcpPacket.kind(buf, 0, 20)).isEqualTo(RtcpKind.TMMBR);
        assertThat(Tmmbr.entryCount(buf, 0, 20)).isEqualTo(1);
        assertThat(Tmmbr.ssrc(buf, 0, 0)).isEqualTo(0x20);
        assertThat(Tmmbr.bitrate(buf, 0, 0)).isEqualTo(1_500_000);
        assertThat(Tmmbr.overhead(buf, 0, 0)).isEqualTo(40);
        // 1_500_000 = 93750 << 4: exponent 4, mantissa 93750 (17 bits), overhead 40.
        assertThat(Hex.string(buf, 16, 4)).isEqualTo(Hex.string(intBytes((4 << 26) | (93_750 << 9) | 40), 0, 4));
        assertThat(Tmmbr.write(buf, 1, 1, 2, 3, 4)).isEqualTo(-1);
    }

    @Test
    void parsesTmmbn() {
        byte[] b = Hex.bytes("84 cd 00 04 | 00 00 00 01 | 00 00 00 00 | 00 00 00 02 | 04 2d cc 28");
        assertThat(RtcpPacket.kind(b, 0, b.length)).isEqualTo(RtcpKind.TMMBN);
        assertThat(Tmmbr.entryCount(b, 0, b.length)).isEqualTo(1);
        assertThat(Tmmbr.ssrc(b, 0, 0)).isEqualTo(2);
        // 0x042dcc28 = exponent 1 | mantissa 5862 | overhead 40: 5862 << 1 bps.
        assertThat(Tmmbr.bitrate(b, 0, 0)).isEqualTo(11_724);
        assertThat(Tmmbr.overhead(b, 0, 0)).isEqualTo(40);
    }

    @Test
    void transportCcIsOpaqueButHeaderReadable() {
        byte[] b = Hex.bytes("8f cd 00 05 | 00 00 00 01 | 00 00 00 02 | 01 00 00 03 | ff ff fe 07 | 20 03 00 00");
        assertThat(RtcpPacket.kind(b, 0, b.length)).isEqualTo(RtcpKind.TRANSPORT_CC);
        assertThat(TransportCc.baseSequence(b, 0)).isEqualTo(256);
        assertThat(TransportCc.packetStatusCount(b, 0)).isEqualTo(3);
        assertThat(TransportCc.referenceTime(b, 0)).isEqualTo(-2);
        assertThat(TransportCc.feedbackPacketCount(b, 0)).isEqualTo(7);
        assertThat(RtcpFeedback.mediaSsrc(b, 0)).isEqualTo(2);
    }

    @Test
    void rewriteMediaSsrc() {
        byte[] pli = Hex.bytes("81 ce 00 02 | 00 00 00 01 | 00 00 00 02");
        assertThat(RtcpFeedback.rewriteMediaSsrc(pli, 0, pli.length, 0x77)).isTrue();
        assertThat(Hex.string(pli, 0, pli.length)).isEqualTo("81 ce 00 02 00 00 00 01 00 00 00 77");

        byte[] nack = Hex.bytes("81 cd 00 03 | 00 00 00 01 | 00 00 00 02 | 00 64 00 01");
        assertThat(RtcpFeedback.rewriteMediaSsrc(nack, 0, nack.length, 0x77)).isTrue();
        assertThat(Hex.string(nack, 0, nack.length)).isEqualTo("81 cd 00 03 00 00 00 01 00 00 00 77 00 64 00 01");

        byte[] fir = Hex.bytes("84 ce 00 04 | 00 00 00 01 | 00 00 00 00 | 00 00 00 02 | 07 00 00 00");
        assertThat(RtcpFeedback.rewriteMediaSsrc(fir, 0, fir.length, 0x77)).isTrue();
        assertThat(Hex.string(fir, 0, fir.length))
                .isEqualTo("84 ce 00 04 00 00 00 01 00 00 00 00 00 00 00 77 07 00 00 00");

        byte[] remb = Hex.bytes("8f ce 00 05 | 00 00 00 01 | 00 00 00 00 | 52 45 4d 42 | 01 00 fa 00 | 00 00 00 09");
        String before = Hex.string(remb, 0, remb.length);
        assertThat(RtcpFeedback.rewriteMediaSsrc(remb, 0, remb.length, 0x77)).isFalse();
        assertThat(Hex.string(remb, 0, remb.length)).isEqualTo(before);

        byte[] shortPli = Hex.bytes("81 ce 00 01 | 00 00 00 01");
        assertThat(RtcpFeedback.rewriteMediaSsrc(shortPli, 0, shortPli.length, 0x77)).isFalse();
        assertThat(Hex.string(shortPli, 0, shortPli.length)).isEqualTo("81 ce 00 01 00 00 00 01");
    }

    @Test
    void firRewriteTargetsEveryEntry() {
        byte[] b = Hex.bytes("84 ce 00 06 | 00 00 00 01 | 00 00 00 00 | 00 00 00 02 | 07 00 00 00 | 00 00 00 03 | 08 00 00 00");
        assertThat(RtcpFeedback.rewriteMediaSsrc(b, 0, b.length, 9)).isTrue();
        assertThat(Fir.targetSsrc(b, 0, 0)).isEqualTo(9);
        assertThat(Fir.targetSsrc(b, 0, 1)).isEqualTo(9);
        assertThat(Fir.sequenceNumber(b, 0, 1)).isEqualTo(8);
        Fir.setTargetSsrc(b, 0, 1, 4);
        assertThat(Fir.targetSsrc(b, 0, 1)).isEqualTo(4);
    }

    private static byte[] intBytes(int v) {
        return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
    }
}
