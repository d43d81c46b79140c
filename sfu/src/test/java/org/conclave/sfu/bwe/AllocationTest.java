package org.conclave.sfu.bwe;

import org.conclave.sfu.keyframe.KeyFrameOptions;
import org.conclave.sfu.keyframe.KeyFrameBudget;
import org.conclave.sfu.keyframe.KeyFrameRequestLimiter;
import org.conclave.sfu.repair.NackOptions;
import org.conclave.sfu.repair.UpstreamLossDetector;
import org.conclave.sfu.repair.PacketCacheTest;
import org.conclave.sfu.repair.PacketCache;
import org.conclave.sfu.codec.CodecFamily;
import org.conclave.sfu.control.VideoQuality;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import org.conclave.sfu.rtcp.GenericNack;
import org.conclave.sfu.rtcp.Remb;
import org.conclave.sfu.rtcp.RtcpKind;
import org.conclave.sfu.rtp.Hex;
import org.conclave.sfu.rtp.SeqTsRewriter;
import org.junit.jupiter.api.Test;

/**
 * The per-packet and per-RTCP calls allocate nothing once warm: measured with the JVM's per-thread allocation
 * counter around many calls.
 */
class AllocationTest {
    private static final int ROUNDS = 20_000;

    @Test
    void perPacketCallsDoNotAllocate() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        Workload w = new Workload();
        for (int i = 0; i < ROUNDS; i++) {
            w.round(i);
        }
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = ROUNDS; i < 2 * ROUNDS; i++) {
            w.round(i);
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertThat(allocated).as("bytes allocated by %d rounds", ROUNDS).isLessThan(1024);
        assertThat(w.sink).isNotZero();
    }

    /** Everything the packet thread would call for a packet, a feedback, a NACK and a housekeeping tick. */
    private static final class Workload {
        final DownlinkEstimate downlink = new DownlinkEstimate(EstimatorOptions.DEFAULTS, true);
        final SendSideEstimator estimator = downlink.sendSide();
        final PacketCache cache = new PacketCache(64, 1_000);
        final UpstreamLossDetector loss = new UpstreamLossDetector(NackOptions.DEFAULTS);
        final SeqTsRewriter rewriter = new SeqTsRewriter();
        final KeyFrameRequestLimiter limiter = new KeyFrameRequestLimiter(KeyFrameOptions.DEFAULTS);
        final KeyFrameBudget budget = new KeyFrameBudget(KeyFrameOptions.DEFAULTS);
        final LayerSelector selector = new LayerSelector(LayerOptions.DEFAULTS, 3);
        final SenderClamp<String> clamp = new SenderClamp<>(ClampOptions.DEFAULTS);
        final List<LayerDecision<String>> decisions = new ArrayList<>();
        final byte[] packet = PacketCacheTest.packet(0);
        final byte[] vp8 = Hex.bytes("90 e0 80 01 00 20 b0 f6 00 9d 01 2a");
        final byte[] remb = new byte[24];
        final byte[] nack = new byte[16];
        final byte[] out = new byte[1600];
        final int[] nacks = new int[64];
        final int[] lost = new int[2];
        final byte[][] feedbacks = new byte[64][];
        long sink;

        Workload() {
            selector.setQuality(VideoQuality.FULL_RES);
            clamp.addViewer("a");
            clamp.addViewer("b");
            Remb.write(remb, 0, 1, 900_000, new int[] {5}, 1);
            long[] arrivals = new long[10];
            for (int f = 0; f < feedbacks.length; f++) {
                for (int k = 0; k < 10; k++) {
                    arrivals[k] = k == 3 ? FeedbackWriter.NOT_RECEIVED : 1_000_000L + f * 100_000L + k * 9_000L;
                }
                feedbacks[f] = FeedbackWriter.write(1, 2, (1 + f * 10) & 0xFFFF, f, arrivals);
            }
        }

        void round(int i) {
            long now = 1_000_000_000L + i * 1_000_000L;
            // Send a packet to the receiver: stamp, record, cache.
            int seq = estimator.nextSequence();
            estimator.onPacketSent(1200, now);
            packet[2] = (byte) (i >> 8);
            packet[3] = (byte) i;
            cache.put(packet, 0, packet.length, now);
            // Upstream: loss detection on every 7th packet missing, layer selection, key-frame detection.
            if (i % 7 != 0) {
                loss.onPacket(i & 0xFFFF, now);
            }
            sink += selector.onPacket(i % 3, CodecFamily.VP8.isKeyFrameStart(vp8, 0, vp8.length), now);
            sink += rewriter.rewrite(i & 0xFFFF, i * 90L, i % 1000 == 0, now, 90_000);
            // Every 10 packets a feedback, every 50 a NACK and a housekeeping tick.
            if (seq % 10 == 0 && i >= 10) {
                byte[] fb = feedbacks[(seq / 10 - 1) % feedbacks.length];
                downlink.onRtcp(RtcpKind.TRANSPORT_CC, fb, 0, fb.length, now);
            }
            if (i % 50 == 49) {
                lost[0] = i - 3;
                lost[1] = i - 2;
                int n = GenericNack.write(nack, 0, 1, 2, lost, 2);
                sink += GenericNack.lostSequences(nack, 0, n, nacks);
                int slot = cache.find(lost[0], now);
                if (slot >= 0) sink += cache.copy(slot, out, 0);
                downlink.onRtcp(RtcpKind.REMB, remb, 0, remb.length, now);
                sink += loss.collect(now, nacks);
                sink += loss.takeKeyFrameRequest() ? 1 : 0;
                loss.trim(now);
                long estimate = downlink.bitrateBps(now);
                clamp.setEstimate("a", estimate);
                clamp.setEstimate("b", estimate * 2);
                sink += clamp.evaluate(now, decisions);
                selector.setBudgetBps(estimate);
                sink += selector.pollKeyFrameRequest(now);
                sink += limiter.onReceiverRequest(budget, now);
                sink += limiter.poll(now) ? 1 : 0;
            }
            sink += estimator.estimateBps();
        }
    }
}
