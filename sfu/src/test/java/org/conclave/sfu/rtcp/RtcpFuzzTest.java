package org.conclave.sfu.rtcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Arrays;
import org.conclave.sfu.bwe.DownlinkEstimate;
import org.conclave.sfu.bwe.EstimatorOptions;
import org.junit.jupiter.api.Test;

/**
 * Fuzz target for compound RTCP validation, iteration, classification and every accessor of each kind: never throws
 * and never reads outside the datagram. The datagram sits between guard bytes, once 0x00 and once 0xFF; a read outside
 * it would make the digests of the two runs differ.
 */
class RtcpFuzzTest {
    private static final int GUARD = 8;

    @FuzzTest(maxDuration = "60s")
    void validateAndIterate(byte[] data) {
        byte[] low = embed(data, (byte) 0x00);
        byte[] high = embed(data, (byte) 0xFF);
        int len = data.length;

        int result = RtcpCompound.validate(low, GUARD, len);
        assertThat(RtcpCompound.validate(high, GUARD, len)).isEqualTo(result);
        assertThat(digest(high, len)).isEqualTo(digest(low, len));

        assertGuards(low, (byte) 0x00, len);
        assertGuards(high, (byte) 0xFF, len);

        RtcpCompound cursor = new RtcpCompound();
        assertThat(cursor.reset(embed(data, (byte) 0x5A), GUARD, len)).isEqualTo(result);
        if (result >= 0) {
            assertThat(cursor.validPackets()).isEqualTo(result);
            assertThat(cursor.errorOffset()).isEqualTo(-1);
        } else {
            assertThat(result).isBetween(RtcpPacket.ERR_PADDING, RtcpPacket.ERR_BOUNDS);
            assertThat(cursor.errorOffset()).isBetween(GUARD, GUARD + len);
        }
        int end = GUARD;
        int packets = 0;
        while (cursor.next()) {
            assertThat(cursor.offset()).isEqualTo(end);
            assertThat(cursor.length()).isGreaterThanOrEqualTo(RtcpPacket.HEADER_LENGTH);
            end += cursor.length();
            packets++;
        }
        assertThat(packets).isEqualTo(cursor.validPackets());
        assertThat(end).isLessThanOrEqualTo(GUARD + len);
        if (result >= 0) {
            assertThat(end).isEqualTo(GUARD + len);
        }
    }

    /**
     * Every packet of the compound goes to a receiver's downlink estimate (REMB and transport-cc, the worker's path):
     * only those two kinds are used, the estimate stays unknown or within its bounds, the packet is not touched.
     */
    @FuzzTest(maxDuration = "60s")
    void downlinkFeedback(byte[] data) {
        EstimatorOptions options = EstimatorOptions.DEFAULTS;
        DownlinkEstimate downlink = new DownlinkEstimate(options, true);
        long now = 1_000_000_000L;
        for (int i = 0; i < 64; i++) {
            downlink.sendSide().onPacketSent(1200, now);
            now += 1_000_000;
        }
        int len = data.length;
        byte[] b = embed(data, (byte) 0x5A);
        RtcpCompound cursor = new RtcpCompound();
        cursor.reset(b, GUARD, len);
        while (cursor.next()) {
            RtcpKind kind = cursor.kind();
            if (downlink.onRtcp(kind, b, cursor.offset(), cursor.length(), now)) {
                assertThat(kind).isIn(RtcpKind.REMB, RtcpKind.TRANSPORT_CC);
            }
            now += 20_000_000;
        }
        long bps = downlink.bitrateBps(now);
        if (bps != -1) {
            assertThat(bps).isBetween(options.minBitrateBps(), options.maxBitrateBps());
        }
        assertThat(downlink.remb().ssrcCount()).isBetween(0, Remb.MAX_SSRCS);
        assertThat(Arrays.copyOfRange(b, GUARD, GUARD + len)).isEqualTo(data);
        assertGuards(b, (byte) 0x5A, len);
    }

    /** Keeps the seeds meaningful: the REMB seed reaches the estimate. */
    @Test
    void feedbackSeedsReachTheEstimate() throws Exception {
        byte[] remb;
        try (var in = getClass().getResourceAsStream("RtcpFuzzTestInputs/downlinkFeedback/remb")) {
            remb = in.readAllBytes();
        }
        DownlinkEstimate downlink = new DownlinkEstimate(EstimatorOptions.DEFAULTS, true);
        assertThat(downlink.onRtcp(RtcpPacket.kind(remb, 0, remb.length), remb, 0, remb.length, 0)).isTrue();
    }

    /** Walks the valid packets, reads every field their kind offers and rewrites SSRCs in place; hashes it all. */
    private static long digest(byte[] b, int len) {
        RtcpCompound cursor = new RtcpCompound();
        cursor.reset(b, GUARD, len);
        long h = cursor.error() * 31L + cursor.validPackets();
        int[] lost = new int[64];
        while (cursor.next()) {
            int off = cursor.offset();
            int n = cursor.length();
            RtcpKind kind = cursor.kind();
            h = h * 31 + kind.ordinal();
            switch (kind) {
                case SENDER_REPORT:
                    h = mix(h, SenderReport.senderSsrc(b, off), SenderReport.ntpTimestamp(b, off),
                            SenderReport.rtpTimestamp(b, off), SenderReport.packetCount(b, off),
                            SenderReport.octetCount(b, off));
                    for (int i = 0; i < SenderReport.reportBlockCount(b, off); i++) {
                        h = block(h, b, SenderReport.reportBlockOffset(off, i));
                    }
                    SenderReport.translate(b, off, 0x01020304, 12345);
                    h = mix(h, SenderReport.rtpTimestamp(b, off));
                    break;
                case RECEIVER_REPORT:
                    h = mix(h, ReceiverReport.senderSsrc(b, off));
                    for (int i = 0; i < ReceiverReport.reportBlockCount(b, off); i++) {
                        h = block(h, b, ReceiverReport.reportBlockOffset(off, i));
                    }
                    break;
                case BYE:
                    for (int i = 0; i < Bye.ssrcCount(b, off); i++) {
                        h = mix(h, Bye.ssrc(b, off, i));
                    }
                    break;
                case NACK:
                    for (int i = 0; i < GenericNack.itemCount(b, off, n); i++) {
                        h = mix(h, GenericNack.pid(b, off, i), GenericNack.blp(b, off, i));
                    }
                    int count = GenericNack.lostSequences(b, off, n, lost);
                    for (int i = 0; i < count; i++) {
                        h = mix(h, lost[i]);
                    }
                    break;
                case TMMBR:
                case TMMBN:
                    for (int i = 0; i < Tmmbr.entryCount(b, off, n); i++) {
                        h = mix(h, Tmmbr.ssrc(b, off, i), Tmmbr.bitrate(b, off, i), Tmmbr.overhead(b, off, i));
                    }
                    break;
                case TRANSPORT_CC:
                    h = mix(h, TransportCc.baseSequence(b, off), TransportCc.packetStatusCount(b, off),
                            TransportCc.referenceTime(b, off), TransportCc.feedbackPacketCount(b, off));
                    break;
                case FIR:
                    for (int i = 0; i < Fir.entryCount(b, off, n); i++) {
                        h = mix(h, Fir.targetSsrc(b, off, i), Fir.sequenceNumber(b, off, i));
                    }
                    break;
                case REMB:
                    h = mix(h, Remb.bitrate(b, off), Remb.ssrcCount(b, off));
                    for (int i = 0; i < Remb.ssrcCount(b, off); i++) {
                        h = mix(h, Remb.ssrc(b, off, i));
                    }
                    break;
                default:
                    break;
            }
            if (kind != RtcpKind.MALFORMED && kind != RtcpKind.UNKNOWN && n >= 12) {
                h = mix(h, RtcpFeedback.senderSsrc(b, off), RtcpFeedback.mediaSsrc(b, off));
            }
            h = mix(h, RtcpFeedback.rewriteMediaSsrc(b, off, n, 0x0A0B0C0D) ? 1 : 0);
            h = mix(h, Arrays.hashCode(Arrays.copyOfRange(b, off, off + n)));
        }
        return h;
    }

    private static long block(long h, byte[] b, int at) {
        return mix(h, ReportBlock.ssrc(b, at), ReportBlock.fractionLost(b, at), ReportBlock.cumulativeLost(b, at),
                ReportBlock.extendedHighestSeq(b, at), ReportBlock.jitter(b, at), ReportBlock.lastSr(b, at),
                ReportBlock.delaySinceLastSr(b, at));
    }

    private static long mix(long h, long... values) {
        for (long v : values) {
            h = h * 1_000_003 + v;
        }
        return h;
    }

    /** A plain loop, an assertion only on a change (16 AssertJ objects per call cost more than the parsing). */
    private static void assertGuards(byte[] b, byte guard, int len) {
        for (int i = 0; i < GUARD; i++) {
            if (b[i] != guard || b[GUARD + len + i] != guard) fail("guard byte %d changed", i);
        }
    }

    private static byte[] embed(byte[] data, byte guard) {
        byte[] b = new byte[GUARD + data.length + GUARD];
        Arrays.fill(b, guard);
        System.arraycopy(data, 0, b, GUARD, data.length);
        return b;
    }
}
