package org.conclave.sfu.forward;

import org.conclave.sfu.codec.CodecId;
import org.conclave.sfu.codec.MediaKind;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.conclave.sfu.bwe.ClampOptions;
import org.conclave.sfu.keyframe.KeyFrameBudget;
import org.conclave.sfu.keyframe.KeyFrameOptions;
import org.conclave.sfu.repair.NackOptions;
import org.conclave.sfu.repair.PacketCache;
import org.conclave.sfu.rtcp.GenericNack;
import org.conclave.sfu.rtp.ReceiveStatistics;
import org.conclave.sfu.rtp.SeqTsRewriter;
import org.junit.jupiter.api.Test;

/**
 * A receiver's NACK is answered from the input stream's cache through the receiver's log of what it was sent: the
 * packet as it went out (its sequence number, timestamp, SSRC, payload type), as RTX when negotiated.
 */
class LossRepairTest {
    private static final long NOW = 5_000_000_000L;
    private static final int IN_PT = 100;
    private static final int OUT_PT = 96;
    private static final int OUT_RTX_PT = 97;
    private static final int OUT_SSRC = 0x11223344;
    private static final int RTX_SSRC = 0x55667788;

    private final List<byte[]> sent = new ArrayList<>();
    private final WorkerStats stats = new WorkerStats();
    private final byte[] tx = new byte[2048];
    private final PacketIo io = new PacketIo() {
        @Override
        public byte[] tx() {
            return tx;
        }

        @Override
        public void send(int len, InetSocketAddress to) {}

        @Override
        public void sendRtp(EndpointMedia receiver, OutgoingStream out, int len, int transportCcAt, long nowNanos,
                WorkerStats stats) {
            sent.add(Arrays.copyOf(tx, len));
        }
    };
    private final LossRepair repair = new LossRepair(io, stats, NackOptions.DEFAULTS, new KeyFrameRelay(io, stats));

    private final EndpointMedia receiver = new EndpointMedia("r", "c", "u", null, 1);
    private final Source source = new Source("s", "p", "0", MediaKind.VIDEO, 90_000, OUT_SSRC & 0xFFFFFFFFL, "st", "tr",
            "c", Map.of(IN_PT, CodecId.vp8()), Map.of(), new long[0], List.of(), new long[0], Map.of(), Map.of(), true,
            false, RTX_SSRC & 0xFFFFFFFFL);
    private final SourceRoute route = new SourceRoute(source, new EndpointMedia("s", "c", "v", null, 2),
            KeyFrameOptions.DEFAULTS, ClampOptions.DEFAULTS);
    private final IncomingStream input = new IncomingStream(0x0A0B0C0D, route, new ReceiveStatistics(0x0A0B0C0D,
            90_000, 1), 0, null, null, new PacketCache(NackOptions.DEFAULTS));

    @Test
    void aNackedPacketGoesOutAgainAsRtxExactlyAsItWasSent() {
        OutgoingStream out = subscribe(true);
        forward(out, 1000, 7000, 90_000L);
        assertThat(nack(out, 7000)).isEqualTo(1);
        byte[] rtx = sent.get(0);
        // RTX header: same flags and timestamp, RTX payload type, the stream's first RTX sequence, the RTX SSRC;
        // payload: the original (output) sequence number, then the original payload.
        assertThat(HexFormat.of().formatHex(rtx)).isEqualTo("80" + "61" + hex16(OUT_SSRC & 0x7FFF) + "00015f90"
                + "55667788" + "1b58" + payloadHex(1000));
        assertThat(stats.retransmissions()).isEqualTo(1);
    }

    @Test
    void withoutRtxTheSamePacketIsResent() {
        OutgoingStream out = subscribe(false);
        forward(out, 1000, 7000, 90_000L);
        nack(out, 7000);
        assertThat(HexFormat.of().formatHex(sent.get(0))).isEqualTo("8060" + "1b58" + "00015f90" + "11223344"
                + payloadHex(1000));
    }

    @Test
    void aPacketIsResentAtMostOncePerIntervalAndOnlyWhileCached() {
        OutgoingStream out = subscribe(true);
        forward(out, 1000, 7000, 90_000L);
        nack(out, 7000);
        nack(out, 7000); // within the resend interval
        nack(out, 6999); // never sent
        assertThat(sent).hasSize(1);
        assertThat(stats.nackSuppressed()).isEqualTo(1);
        assertThat(stats.nackMisses()).isEqualTo(1);
    }

    @Test
    void aProbeIsAnRtxCopyOfTheNewestPacket() {
        OutgoingStream out = subscribe(true);
        forward(out, 1000, 7000, 90_000L);
        forward(out, 1001, 7001, 93_000L);
        assertThat(repair.sendProbe(receiver, out, NOW)).isPositive();
        assertThat(HexFormat.of().formatHex(sent.get(0)).substring(24, 28)).as("OSN").isEqualTo("1b59");
        assertThat(stats.probePackets()).isEqualTo(1);
    }

    @Test
    void onlyAWatchedStreamIsCached() {
        byte[] first = packet(1000);
        route.forward(first, first.length, input, -1, NOW, io, stats);
        assertThat(input.cache.find(1000, NOW)).as("nobody received it: nobody can NACK it").isEqualTo(-1);
        OutgoingStream out = subscribe(true);
        route.addSubscriber(out);
        byte[] second = packet(1001);
        route.forward(second, second.length, input, -1, NOW, io, stats);
        assertThat(input.cache.find(1001, NOW)).isNotNegative();
    }

    /**
     * A cache that grew in a burst (a stalled thread catching up) and shrank back in housekeeping still answers the
     * NACKs of every packet it got within the max age before shrinking.
     */
    @Test
    void aPacketCachedBeforeTheCacheShrankIsStillRepaired() {
        OutgoingStream out = subscribe(true);
        long now = NOW;
        int inSeq = 1000;
        int outSeq = 7000;
        while (inSeq < 1300) {
            forward(out, inSeq++, outSeq++, 90_000L, now);
        }
        // Then ten packets a second, housekeeping every 100 ms, until the cache shrank (it grows first: the burst's
        // packets stay for the max age).
        int grown = input.cache.ringBytes();
        while (input.cache.ringBytes() >= grown && now - NOW < 20_000_000_000L) {
            grown = Math.max(grown, input.cache.ringBytes());
            now += 100_000_000L;
            forward(out, inSeq++, outSeq++, 90_000L, now);
            input.cache.trim(now);
            out.sent.trim(now);
        }
        assertThat(grown).isGreaterThan(PacketCache.INITIAL_RING_BYTES);
        assertThat(input.cache.ringBytes()).isLessThan(grown);
        for (int back = 1; back <= 11; back++) { // sent 0 to 1,000 ms before the shrink
            assertThat(nack(out, outSeq - back, now)).as("output seq %d", outSeq - back).isEqualTo(1);
        }
        assertThat(nack(out, outSeq - 12, now)).as("older than the max age").isZero();
    }

    // ---------------------------------------------------------------- fixtures

    private OutgoingStream subscribe(boolean rtx) {
        byte[] pts = new byte[128];
        Arrays.fill(pts, (byte) -1);
        pts[IN_PT] = OUT_PT;
        byte[] rtxPts = new byte[128];
        Arrays.fill(rtxPts, (byte) -1);
        if (rtx) rtxPts[OUT_PT] = OUT_RTX_PT;
        return new OutgoingStream(receiver, route, pts, rtxPts, new byte[256], 0, new SeqTsRewriter(),
                new KeyFrameBudget(KeyFrameOptions.DEFAULTS), null, new SentLog(64, 1_000_000_000L));
    }

    /** What MediaWorker does: the input packet cached once, the receiver's output logged. */
    private void forward(OutgoingStream out, int inSeq, int outSeq, long outTs) {
        forward(out, inSeq, outSeq, outTs, NOW);
    }

    private void forward(OutgoingStream out, int inSeq, int outSeq, long outTs, long now) {
        byte[] p = packet(inSeq);
        input.cache.put(p, 0, p.length, now);
        out.lastOutPt = OUT_PT;
        out.sent.record(outSeq, input, inSeq, outTs, now);
    }

    private int nack(OutgoingStream out, int seq) {
        return nack(out, seq, NOW);
    }

    private int nack(OutgoingStream out, int seq, long now) {
        byte[] nack = new byte[16];
        int n = GenericNack.write(nack, 0, 1, OUT_SSRC, new int[] {seq}, 1);
        int before = sent.size();
        receiver.outgoing = new OutgoingStream[] {out};
        repair.onNack(receiver, nack, 0, n, now);
        return sent.size() - before;
    }

    private static byte[] packet(int seq) {
        byte[] p = new byte[20];
        p[0] = (byte) 0x80;
        p[1] = IN_PT;
        p[2] = (byte) (seq >> 8);
        p[3] = (byte) seq;
        p[8] = 0x0A;
        p[9] = 0x0B;
        p[10] = 0x0C;
        p[11] = 0x0D;
        for (int i = 12; i < 20; i++) p[i] = (byte) (seq * 7 + i);
        return p;
    }

    private static String payloadHex(int seq) {
        return HexFormat.of().formatHex(Arrays.copyOfRange(packet(seq), 12, 20));
    }

    private static String hex16(int v) {
        return String.format("%04x", v & 0xFFFF);
    }
}
