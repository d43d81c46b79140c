package org.conclave.sfu.rtcp;

import static org.assertj.core.api.Assertions.assertThat;

import org.conclave.sfu.clock.FakeClock;
import org.conclave.sfu.rtp.Hex;
import org.conclave.sfu.rtp.ReceiveStatistics;
import org.junit.jupiter.api.Test;

/** SR, RR, report blocks and BYE: parsing, writers round-tripped through the parsers, SR translation. */
class ReportsTest {
    @Test
    void parsesSenderReport() {
        byte[] b = Hex.embedded(3, RtcpCompoundTest.SR_ONE_BLOCK, 0);
        int off = 3;
        assertThat(RtcpPacket.kind(b, off, 52)).isEqualTo(RtcpKind.SENDER_REPORT);
        assertThat(SenderReport.senderSsrc(b, off)).isEqualTo(1);
        assertThat(SenderReport.ntpTimestamp(b, off)).isEqualTo(0xAABBCCDD_11223344L);
        assertThat(SenderReport.rtpTimestamp(b, off)).isEqualTo(0x1000);
        assertThat(SenderReport.packetCount(b, off)).isEqualTo(5);
        assertThat(SenderReport.octetCount(b, off)).isEqualTo(500);
        assertThat(SenderReport.reportBlockCount(b, off)).isEqualTo(1);
        int block = SenderReport.reportBlockOffset(off, 0);
        assertThat(block).isEqualTo(off + 28);
        assertThat(ReportBlock.ssrc(b, block)).isEqualTo(2);
        assertThat(ReportBlock.fractionLost(b, block)).isEqualTo(16);
        assertThat(ReportBlock.cumulativeLost(b, block)).isEqualTo(3);
        assertThat(ReportBlock.extendedHighestSeq(b, block)).isEqualTo(0x0001_0009L);
        assertThat(ReportBlock.jitter(b, block)).isEqualTo(7);
        assertThat(ReportBlock.lastSr(b, block)).isEqualTo(0x12345678L);
        assertThat(ReportBlock.delaySinceLastSr(b, block)).isEqualTo(0x8000);
    }

    @Test
    void parsesUnsignedAndSignedFields() {
        byte[] b = Hex.bytes("81 c9 00 07 | ff ff ff fe | ff ff ff ff | ff ff ff fe | ff ff ff ff | ff ff ff ff | ff ff ff ff | ff ff ff ff");
        assertThat(RtcpPacket.kind(b, 0, b.length)).isEqualTo(RtcpKind.RECEIVER_REPORT);
        assertThat(ReceiverReport.senderSsrc(b, 0)).isEqualTo(0xFFFFFFFE);
        int block = ReceiverReport.reportBlockOffset(0, 0);
        assertThat(ReportBlock.ssrc(b, block)).isEqualTo(-1);
        assertThat(ReportBlock.fractionLost(b, block)).isEqualTo(255);
        assertThat(ReportBlock.cumulativeLost(b, block)).isEqualTo(-2);
        assertThat(ReportBlock.extendedHighestSeq(b, block)).isEqualTo(0xFFFF_FFFFL);
        assertThat(ReportBlock.jitter(b, block)).isEqualTo(0xFFFF_FFFFL);
    }

    @Test
    void receiverReportRoundTrip() {
        FakeClock clock = new FakeClock();
        ReceiveStatistics audio = new ReceiveStatistics(0xA0A0A0A0, 48_000, 1);
        ReceiveStatistics video = new ReceiveStatistics(0xB0B0B0B0, 90_000, 1);
        for (int seq = 0; seq < 10; seq++) {
            audio.onPacket(seq, 960L * seq, clock.nanoTime());
            if (seq % 5 != 2) {
                video.onPacket(seq + 65530, 3000L * seq, clock.nanoTime());
            }
            clock.advanceMillis(20);
        }
        video.onSenderReport(0x0000_0102_0304_0000L, clock.nanoTime());
        clock.advanceMillis(500);

        byte[] buf = new byte[200];
        int len = ReceiverReport.write(buf, 10, 0x5EED, new ReceiveStatistics[] {audio, video}, 2, clock.nanoTime());
        assertThat(len).isEqualTo(8 + 2 * 24);

        RtcpCompound cursor = new RtcpCompound();
        assertThat(cursor.reset(buf, 10, len)).isEqualTo(1);
        assertThat(cursor.next()).isTrue();
        assertThat(cursor.kind()).isEqualTo(RtcpKind.RECEIVER_REPORT);
        int off = cursor.offset();
        assertThat(ReceiverReport.senderSsrc(buf, off)).isEqualTo(0x5EED);
        assertThat(ReceiverReport.reportBlockCount(buf, off)).isEqualTo(2);
        int a = ReceiverReport.reportBlockOffset(off, 0);
        assertThat(ReportBlock.ssrc(buf, a)).isEqualTo(0xA0A0A0A0);
        assertThat(ReportBlock.fractionLost(buf, a)).isZero();
        assertThat(ReportBlock.cumulativeLost(buf, a)).isZero();
        assertThat(ReportBlock.extendedHighestSeq(buf, a)).isEqualTo(9);
        assertThat(ReportBlock.lastSr(buf, a)).isZero();
        int v = ReceiverReport.reportBlockOffset(off, 1);
        assertThat(ReportBlock.ssrc(buf, v)).isEqualTo(0xB0B0B0B0);
        assertThat(ReportBlock.cumulativeLost(buf, v)).isEqualTo(2);
        assertThat(ReportBlock.fractionLost(buf, v)).isEqualTo(2 * 256 / 10);
        assertThat(ReportBlock.extendedHighestSeq(buf, v)).isEqualTo(65536 + 3);
        assertThat(ReportBlock.lastSr(buf, v)).isEqualTo(0x01020304L);
        assertThat(ReportBlock.delaySinceLastSr(buf, v)).isEqualTo(32768);
    }

    @Test
    void emptyReceiverReportAndHeaderWriter() {
        byte[] buf = new byte[40];
        assertThat(ReceiverReport.write(buf, 0, 9, null, 0, 0)).isEqualTo(8);
        assertThat(Hex.string(buf, 0, 8)).isEqualTo("80 c9 00 01 00 00 00 09");
        assertThat(ReceiverReport.writeHeader(buf, 0, 9, 1)).isEqualTo(8);
        assertThat(ReportBlock.write(buf, 8, 3, 128, -1, 0x1_0002L, 40, 0xDEADBEEFL, 65536)).isEqualTo(24);
        assertThat(RtcpPacket.kind(buf, 0, 32)).isEqualTo(RtcpKind.RECEIVER_REPORT);
        assertThat(ReportBlock.cumulativeLost(buf, 8)).isEqualTo(-1);
        assertThat(ReportBlock.fractionLost(buf, 8)).isEqualTo(128);
        assertThat(ReportBlock.lastSr(buf, 8)).isEqualTo(0xDEADBEEFL);
        assertThat(ReceiverReport.writeHeader(buf, 0, 9, 32)).isEqualTo(-1);
        assertThat(ReceiverReport.writeHeader(buf, 0, 9, 2)).isEqualTo(-1);
    }

    @Test
    void writersReportNoRoom() {
        ReceiveStatistics s = new ReceiveStatistics(1, 8000);
        ReceiveStatistics[] many = new ReceiveStatistics[32];
        java.util.Arrays.fill(many, s);
        byte[] buf = new byte[2000];
        assertThat(ReceiverReport.write(buf, 0, 1, many, 32, 0)).isEqualTo(-1);
        assertThat(ReceiverReport.write(new byte[31], 0, 1, many, 1, 0)).isEqualTo(-1);
        assertThat(SenderReport.write(buf, 0, 1, 0, 0, 0, 0, many, 32, 0)).isEqualTo(-1);
        assertThat(SenderReport.write(new byte[27], 0, 1, 0, 0, 0, 0, null, 0, 0)).isEqualTo(-1);
        assertThat(SenderReport.write(buf, 1990, 1, 0, 0, 0, 0, null, 0, 0)).isEqualTo(-1);
        assertThat(Bye.write(new byte[7], 0, new int[] {1, 2}, 2)).isEqualTo(-1);
    }

    @Test
    void senderReportRoundTrip() {
        FakeClock clock = new FakeClock();
        ReceiveStatistics s = new ReceiveStatistics(77, 90_000, 1);
        s.onPacket(1, 0, clock.nanoTime());
        s.onPacket(3, 6000, clock.nanoTime());
        byte[] buf = new byte[64];
        int len = SenderReport.write(buf, 4, 0xCAFE, 0xE000_0000_8000_0000L, 0xFFFF_FFF0L, 1234, 0x1_0000_0005L,
                new ReceiveStatistics[] {s}, 1, clock.nanoTime());
        assertThat(len).isEqualTo(52);
        assertThat(RtcpCompound.validate(buf, 4, len)).isEqualTo(1);
        assertThat(RtcpPacket.kind(buf, 4, len)).isEqualTo(RtcpKind.SENDER_REPORT);
        assertThat(SenderReport.senderSsrc(buf, 4)).isEqualTo(0xCAFE);
        assertThat(SenderReport.ntpTimestamp(buf, 4)).isEqualTo(0xE000_0000_8000_0000L);
        assertThat(SenderReport.rtpTimestamp(buf, 4)).isEqualTo(0xFFFF_FFF0L);
        assertThat(SenderReport.packetCount(buf, 4)).isEqualTo(1234);
        assertThat(SenderReport.octetCount(buf, 4)).isEqualTo(5); // counts wrap at 2^32
        int block = SenderReport.reportBlockOffset(4, 0);
        assertThat(ReportBlock.ssrc(buf, block)).isEqualTo(77);
        assertThat(ReportBlock.cumulativeLost(buf, block)).isEqualTo(1);
        assertThat(ReportBlock.extendedHighestSeq(buf, block)).isEqualTo(3);
    }

    @Test
    void translateSenderReportForReceiver() {
        byte[] b = Hex.bytes(RtcpCompoundTest.SR_ONE_BLOCK);
        SenderReport.translate(b, 0, 0x0BADF00D, 0xFFFF_F000L + 1);
        assertThat(SenderReport.senderSsrc(b, 0)).isEqualTo(0x0BADF00D);
        assertThat(SenderReport.rtpTimestamp(b, 0)).isEqualTo(1); // 0x1000 + 0xFFFFF001 wraps
        assertThat(SenderReport.ntpTimestamp(b, 0)).isEqualTo(0xAABBCCDD_11223344L);
        assertThat(SenderReport.packetCount(b, 0)).isEqualTo(5);
        assertThat(ReportBlock.ssrc(b, SenderReport.reportBlockOffset(0, 0))).isEqualTo(2);

        int newLength = SenderReport.stripReportBlocks(b, 0);
        assertThat(newLength).isEqualTo(28);
        assertThat(RtcpCompound.validate(b, 0, newLength)).isEqualTo(1);
        assertThat(RtcpPacket.kind(b, 0, newLength)).isEqualTo(RtcpKind.SENDER_REPORT);
        assertThat(SenderReport.reportBlockCount(b, 0)).isZero();
        assertThat(SenderReport.senderSsrc(b, 0)).isEqualTo(0x0BADF00D);
    }

    @Test
    void byeRoundTrip() {
        byte[] buf = new byte[16];
        int len = Bye.write(buf, 0, new int[] {0x11, 0xFFFFFFFF}, 2);
        assertThat(len).isEqualTo(12);
        assertThat(RtcpPacket.kind(buf, 0, len)).isEqualTo(RtcpKind.BYE);
        assertThat(Bye.ssrcCount(buf, 0)).isEqualTo(2);
        assertThat(Bye.ssrc(buf, 0, 0)).isEqualTo(0x11);
        assertThat(Bye.ssrc(buf, 0, 1)).isEqualTo(-1);
        assertThat(Hex.string(buf, 0, 4)).isEqualTo("82 cb 00 02");
    }
}
