package org.conclave.sfu.bwe;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Arrays;

/**
 * Fuzz targets for the transport-cc parser and the estimator behind it: nothing throws, nothing is read outside the
 * packet (the packet sits between guard bytes, once 0x00 and once 0xFF, and both runs must see the same), and the
 * estimate stays within its bounds.
 */
class TransportFeedbackFuzzTest {
    private static final int GUARD = 8;

    @FuzzTest(maxDuration = "60s")
    void parse(byte[] data) {
        long low = digest(embed(data, (byte) 0x00), data.length);
        long high = digest(embed(data, (byte) 0xFF), data.length);
        assertThat(high).isEqualTo(low);
    }

    @FuzzTest(maxDuration = "60s")
    void estimate(byte[] data) {
        EstimatorOptions options = new EstimatorOptions(50_000, 5_000_000, 300_000, 64, 1_000);
        SendSideEstimator estimator = new SendSideEstimator(options, 0);
        long now = 1_000_000_000L;
        for (int i = 0; i < 100; i++) {
            estimator.onPacketSent(1000, now);
            now += 2_000_000;
        }
        byte[] b = embed(data, (byte) 0x5A);
        int result = estimator.onFeedback(b, GUARD, data.length, now);
        assertThat(result).isGreaterThanOrEqualTo(SendSideEstimator.ERR_TOO_MANY_STATUSES);
        // Feed it twice more, later: duplicates and time passing must not break the bounds either.
        estimator.onFeedback(b, GUARD, data.length, now + 100_000_000);
        estimator.onFeedback(b, GUARD, data.length, now + 1_300_000_000);
        assertThat(estimator.estimateBps()).isBetween(options.minBitrateBps(), options.maxBitrateBps());
    }

    private static long digest(byte[] b, int len) {
        TransportFeedback fb = new TransportFeedback();
        int result = fb.reset(b, GUARD, len);
        assertThat(result).isNotZero().isGreaterThanOrEqualTo(TransportFeedback.ERR_DELTAS);
        long h = result;
        int statuses = 0;
        while (fb.next()) {
            statuses++;
            h = h * 1_000_003 + fb.sequence();
            h = h * 1_000_003 + fb.symbol();
            h = h * 1_000_003 + fb.arrivalOffsetUs();
        }
        assertThat(statuses).isEqualTo(Math.max(0, result));
        if (result > 0) {
            h = h * 31 + fb.baseSequence() + fb.referenceTicks() + fb.feedbackPacketCount() + fb.senderSsrc()
                    + fb.mediaSsrc();
        }
        return h;
    }

    private static byte[] embed(byte[] data, byte guard) {
        byte[] b = new byte[GUARD + data.length + GUARD];
        Arrays.fill(b, guard);
        System.arraycopy(data, 0, b, GUARD, data.length);
        return b;
    }
}
