package org.conclave.sfu.bwe;

import static org.assertj.core.api.Assertions.assertThat;

import org.conclave.sfu.rtp.Hex;
import org.junit.jupiter.api.Test;

/** Scenarios on a simulated bottleneck (see {@link LinkSimulator}), in simulated time, plus feedback edge cases. */
class SendSideEstimatorTest {
    private static final long MBIT = 1_000_000;
    private static final EstimatorOptions FROM_300K = EstimatorOptions.DEFAULTS.withStartBitrate(300_000);

    @Test
    void constantRateLinkConvergesAndStaysWithin20Percent() {
        // The sequence numbers wrap after 36 packets.
        SendSideEstimator estimator = new SendSideEstimator(FROM_300K, 65_500);
        LinkSimulator link = new LinkSimulator(estimator, 65_500, MBIT, 1);
        link.run(25_000);
        long[] range = link.runRange(15_000);
        assertThat(range[0]).isGreaterThanOrEqualTo(800_000);
        assertThat(range[1]).isLessThanOrEqualTo(1_200_000);
        assertThat(estimator.unknownPacketReports()).isZero();
        assertThat(estimator.feedbackErrors()).isZero();
    }

    /**
     * A send rate that falls lets the history (and the feedback arrays) shrink back in housekeeping, while the feedback
     * keeps naming only packets it still holds.
     */
    @Test
    void theHistoryShrinksWhenTheSendRateFalls() {
        SendSideEstimator estimator = new SendSideEstimator(FROM_300K);
        LinkSimulator link = new LinkSimulator(estimator, 1, 10 * MBIT, 7);
        link.fixedRateBps = 6 * MBIT; // 625 packets a second
        link.run(3_000);
        assertThat(estimator.historyCapacity()).isEqualTo(1024);
        link.fixedRateBps = MBIT; // 104 a second
        link.run(15_000); // the old rate ages out in a second, then a window (5 s) or two
        assertThat(estimator.historyCapacity()).isEqualTo(SendHistory.INITIAL_CAPACITY);
        assertThat(estimator.unknownPacketReports()).isZero();
        assertThat(estimator.feedbackErrors()).isZero();
    }

    @Test
    void startsAboveCapacityAndBacksOff() {
        SendSideEstimator estimator = new SendSideEstimator(EstimatorOptions.DEFAULTS.withStartBitrate(3 * MBIT));
        LinkSimulator link = new LinkSimulator(estimator, 1, MBIT, 2);
        link.run(5_000);
        long[] range = link.runRange(10_000);
        assertThat(range[0]).isGreaterThanOrEqualTo(800_000);
        assertThat(range[1]).isLessThanOrEqualTo(1_200_000);
    }

    @Test
    void followsACapacityDropWithinAFewSeconds() {
        SendSideEstimator estimator = new SendSideEstimator(FROM_300K);
        LinkSimulator link = new LinkSimulator(estimator, 1, MBIT, 3);
        link.run(30_000);
        assertThat(estimator.estimateBps()).isGreaterThan(800_000);
        link.capacityBps = 300_000;
        link.run(4_000);
        long[] range = link.runRange(15_000);
        assertThat(range[0]).isGreaterThanOrEqualTo(240_000);
        assertThat(range[1]).isLessThanOrEqualTo(360_000);
    }

    @Test
    void climbsBackWhenCapacityReturns() {
        SendSideEstimator estimator = new SendSideEstimator(EstimatorOptions.DEFAULTS.withStartBitrate(300_000));
        LinkSimulator link = new LinkSimulator(estimator, 1, 300_000, 4);
        link.run(15_000);
        assertThat(estimator.estimateBps()).isLessThan(360_000);
        link.capacityBps = MBIT;
        link.run(25_000);
        assertThat(estimator.estimateBps()).isGreaterThan(800_000);
    }

    @Test
    void lowRandomLossDoesNotLowerTheEstimate() {
        SendSideEstimator estimator = new SendSideEstimator(EstimatorOptions.DEFAULTS);
        LinkSimulator link = new LinkSimulator(estimator, 1, MBIT, 5);
        link.lossRate = 0.01;
        link.run(10_000);
        long[] range = link.runRange(10_000);
        assertThat(range[0]).isGreaterThanOrEqualTo(800_000);
        assertThat(range[1]).isLessThanOrEqualTo(1_200_000);
    }

    @Test
    void tenPercentRandomLossHandsControlToTheLossBasedPart() {
        SendSideEstimator estimator = new SendSideEstimator(EstimatorOptions.DEFAULTS);
        LinkSimulator link = new LinkSimulator(estimator, 1, MBIT, 6);
        link.lossRate = 0.10;
        long[] range = link.runRange(20_000);
        assertThat(estimator.lossFraction()).isBetween(0.0, 0.3);
        assertThat(estimator.estimateBps()).isEqualTo(estimator.lossBasedBps()).isLessThan(600_000);
        assertThat(estimator.delayBasedBps()).isGreaterThan(estimator.lossBasedBps());
        assertThat(range[0]).isGreaterThanOrEqualTo(EstimatorOptions.DEFAULT_MIN_BITRATE_BPS);
    }

    @Test
    void heavyLossDrivesTheEstimateToTheMinimum() {
        SendSideEstimator estimator = new SendSideEstimator(EstimatorOptions.DEFAULTS);
        LinkSimulator link = new LinkSimulator(estimator, 1, MBIT, 7);
        link.lossRate = 0.5;
        link.run(30_000);
        assertThat(estimator.estimateBps()).isEqualTo(EstimatorOptions.DEFAULT_MIN_BITRATE_BPS);
    }

    @Test
    void reorderingIsNotMistakenForCongestion() {
        SendSideEstimator estimator = new SendSideEstimator(EstimatorOptions.DEFAULTS);
        LinkSimulator link = new LinkSimulator(estimator, 1, MBIT, 8);
        link.reorderRate = 0.3;
        link.run(5_000);
        long[] range = link.runRange(15_000);
        assertThat(range[0]).isGreaterThanOrEqualTo(800_000);
        assertThat(range[1]).isLessThanOrEqualTo(1_200_000);
    }

    @Test
    void staysWithinConfiguredBounds() {
        EstimatorOptions options = new EstimatorOptions(200_000, 2 * MBIT, 1 * MBIT, 4096, 5_000);
        SendSideEstimator fast = new SendSideEstimator(options);
        new LinkSimulator(fast, 1, 50 * MBIT, 9).run(30_000);
        assertThat(fast.estimateBps()).isEqualTo(2 * MBIT);
        SendSideEstimator slow = new SendSideEstimator(options);
        new LinkSimulator(slow, 1, 50_000, 10).run(20_000);
        assertThat(slow.estimateBps()).isEqualTo(200_000);
    }

    @Test
    void duplicateUnknownAndMalformedFeedbackChangeNothing() {
        SendSideEstimator estimator = new SendSideEstimator(EstimatorOptions.DEFAULTS, 100);
        long now = 1_000_000_000L;
        for (int i = 0; i < 3; i++) {
            assertThat(estimator.nextSequence()).isEqualTo(100 + i);
            estimator.onPacketSent(1000, now + i * 1_000_000L);
        }
        byte[] fb = FeedbackWriter.write(1, 2, 100, 0, new long[] {10_000, 11_000, 12_000});
        assertThat(estimator.onFeedback(fb, 0, fb.length, now + 50_000_000)).isEqualTo(3);
        assertThat(estimator.onFeedback(fb, 0, fb.length, now + 60_000_000)).isZero();
        assertThat(estimator.hasFeedback()).isTrue();

        byte[] future = FeedbackWriter.write(1, 2, 103, 1, new long[] {13_000, 14_000});
        assertThat(estimator.onFeedback(future, 0, future.length, now + 70_000_000)).isZero();
        assertThat(estimator.unknownPacketReports()).isEqualTo(1);

        long before = estimator.estimateBps();
        byte[] pli = Hex.bytes("81 ce 00 02 00 00 00 01 00 00 00 02");
        assertThat(estimator.onFeedback(pli, 0, pli.length, now + 80_000_000))
                .isEqualTo(TransportFeedback.ERR_NOT_TRANSPORT_CC);
        assertThat(estimator.onFeedback(fb, 0, fb.length - 4, now + 80_000_000)).isNegative();
        assertThat(estimator.feedbackErrors()).isEqualTo(2);
        assertThat(estimator.estimateBps()).isEqualTo(before);
    }

    @Test
    void feedbackLongerThanTheHistoryIsRefused() {
        EstimatorOptions options = new EstimatorOptions(30_000, 10 * MBIT, MBIT, 16, 5_000);
        SendSideEstimator estimator = new SendSideEstimator(options, 0);
        estimator.onPacketSent(1000, 0);
        // 20 bytes of FCI claiming 65535 statuses in run-length chunks of "not received".
        byte[] hostile = Hex.bytes("8f cd 00 09 | 00 00 00 01 | 00 00 00 02 | 00 00 ff ff 00 00 00 00"
                + " | 1f ff 1f ff 1f ff 1f ff | 1f ff 1f ff 1f ff 1f ff | 00 07 00 00");
        assertThat(new TransportFeedback().reset(hostile, 0, hostile.length)).isEqualTo(65_535);
        assertThat(estimator.onFeedback(hostile, 0, hostile.length, 1_000_000))
                .isEqualTo(SendSideEstimator.ERR_TOO_MANY_STATUSES);
        assertThat(estimator.feedbackErrors()).isEqualTo(1);
        long[] arrivals = new long[16];
        byte[] sixteen = FeedbackWriter.write(1, 2, 0, 0, arrivals);
        assertThat(estimator.onFeedback(sixteen, 0, sixteen.length, 2_000_000)).isEqualTo(1);
    }

    @Test
    void packetsOlderThanTheHistoryAreForgotten() {
        EstimatorOptions options = new EstimatorOptions(30_000, 10 * MBIT, MBIT, 16, 5_000);
        SendSideEstimator estimator = new SendSideEstimator(options, 0);
        for (int i = 0; i < 20; i++) {
            estimator.onPacketSent(1000, 1_000_000_000L + i);
        }
        long[] arrivals = new long[16];
        for (int i = 0; i < 16; i++) {
            arrivals[i] = 1_000 * i;
        }
        // Packets 0..3 were overwritten by 16..19.
        byte[] fb = FeedbackWriter.write(1, 2, 0, 0, arrivals);
        assertThat(estimator.onFeedback(fb, 0, fb.length, 2_000_000_000L)).isEqualTo(12);
        assertThat(estimator.unknownPacketReports()).isEqualTo(4);
    }

    @Test
    void freshnessFollowsTheTimeout() {
        SendSideEstimator estimator = new SendSideEstimator(EstimatorOptions.DEFAULTS, 0);
        estimator.onPacketSent(1000, 0);
        assertThat(estimator.isFresh(0)).isFalse();
        byte[] fb = FeedbackWriter.write(1, 2, 0, 0, new long[] {5_000});
        estimator.onFeedback(fb, 0, fb.length, 1_000_000_000L);
        assertThat(estimator.isFresh(1_000_000_000L + 5_000_000_000L)).isTrue();
        assertThat(estimator.isFresh(1_000_000_000L + 5_000_000_001L)).isFalse();
    }
}
