package org.conclave.sfu.bwe;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.conclave.sfu.clock.FakeClock;

/**
 * Test helper: the SFU sending to one receiver over a bottleneck, in 1 ms steps of a {@link FakeClock}. The sender
 * paces 1200-byte packets at the estimator's estimate (the closed loop of REMB-clamped senders) or at a fixed rate;
 * the link serializes them at its capacity behind a drop-tail queue, adds propagation delay, random loss and
 * reordering; the receiver sends transport-cc feedback every 100 ms, which reaches the estimator after the return
 * delay. The receiver's clock has an arbitrary offset from the SFU's.
 */
final class LinkSimulator {
    static final int PACKET_BYTES = 1200;
    static final long FEEDBACK_INTERVAL_NS = 100_000_000L;
    static final long PROPAGATION_NS = 25_000_000L;
    static final long RETURN_DELAY_NS = 25_000_000L;
    static final long MAX_QUEUE_NS = 400_000_000L;
    static final long RECEIVER_CLOCK_OFFSET_US = 123_456_789_012L;

    final FakeClock clock = new FakeClock();
    final SendSideEstimator estimator;
    private final Random random;

    long capacityBps;
    double lossRate;
    double reorderRate;
    /** Fixed sending rate, or 0 to send at the estimate. */
    long fixedRateBps;

    private long extSeq;
    private double budgetBytes;
    private long linkFreeNs;
    private final TreeMap<Long, Long> arrived = new TreeMap<>();
    private final TreeMap<Long, Long> inFlight = new TreeMap<>();
    private long nextFeedbackBase = -1;
    private long nextFeedbackNs;
    private int feedbackCount;
    private final ArrayDeque<Object[]> feedbackInFlight = new ArrayDeque<>();
    long packetsSent;
    long packetsDropped;

    LinkSimulator(SendSideEstimator estimator, int firstSequence, long capacityBps, long seed) {
        this.estimator = estimator;
        this.extSeq = firstSequence;
        this.capacityBps = capacityBps;
        this.random = new Random(seed);
        this.nextFeedbackNs = clock.nanoTime() + FEEDBACK_INTERVAL_NS;
    }

    /** Runs {@code millis} steps; returns the estimate at the end. */
    long run(long millis) {
        for (long i = 0; i < millis; i++) {
            step();
        }
        return estimator.estimateBps();
    }

    /** Runs {@code millis} steps and returns {min, max} of the estimate over them. */
    long[] runRange(long millis) {
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (long i = 0; i < millis; i++) {
            step();
            min = Math.min(min, estimator.estimateBps());
            max = Math.max(max, estimator.estimateBps());
        }
        return new long[] {min, max};
    }

    private void step() {
        clock.advanceMillis(1);
        long now = clock.nanoTime();
        long rate = fixedRateBps > 0 ? fixedRateBps : estimator.estimateBps();
        budgetBytes = Math.min(budgetBytes + rate / 8.0 / 1000.0, 4 * PACKET_BYTES);
        while (budgetBytes >= PACKET_BYTES) {
            budgetBytes -= PACKET_BYTES;
            send(now);
        }
        for (Iterator<Map.Entry<Long, Long>> it = inFlight.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Long, Long> e = it.next();
            if (e.getValue() <= now) {
                arrived.put(e.getKey(), e.getValue());
                it.remove();
            }
        }
        if (now >= nextFeedbackNs) {
            nextFeedbackNs += FEEDBACK_INTERVAL_NS;
            sendFeedback(now);
        }
        if (now % 100_000_000L == 0) {
            estimator.trim(now); // the packet thread's housekeeping: the history may shrink mid-run
        }
        while (!feedbackInFlight.isEmpty() && (long) feedbackInFlight.peekFirst()[0] <= now) {
            byte[] fb = (byte[]) feedbackInFlight.pollFirst()[1];
            int r = estimator.onFeedback(fb, 0, fb.length, now);
            if (r < 0) {
                throw new AssertionError("own feedback rejected: " + r);
            }
        }
    }

    private void send(long now) {
        int seq = estimator.nextSequence();
        if (seq != (int) (extSeq & 0xFFFF)) {
            throw new AssertionError("sequence " + seq + " != " + (extSeq & 0xFFFF));
        }
        estimator.onPacketSent(PACKET_BYTES, now);
        long ext = extSeq++;
        packetsSent++;
        long start = Math.max(now, linkFreeNs);
        if (start - now > MAX_QUEUE_NS) {
            packetsDropped++;
            return;
        }
        long departure = start + PACKET_BYTES * 8L * 1_000_000_000L / capacityBps;
        linkFreeNs = departure;
        if (random.nextDouble() < lossRate) {
            packetsDropped++;
            return;
        }
        long arrival = departure + PROPAGATION_NS;
        if (random.nextDouble() < reorderRate) {
            arrival += 5_000_000L + random.nextInt(15_000_000);
        }
        inFlight.put(ext, arrival);
    }

    private void sendFeedback(long now) {
        if (arrived.isEmpty()) {
            return;
        }
        long highest = arrived.lastKey();
        if (nextFeedbackBase < 0) {
            nextFeedbackBase = arrived.firstKey();
        }
        if (highest < nextFeedbackBase) {
            return;
        }
        int n = (int) (highest - nextFeedbackBase + 1);
        long[] arrivals = new long[n];
        for (int i = 0; i < n; i++) {
            Long at = arrived.get(nextFeedbackBase + i);
            arrivals[i] = at == null ? FeedbackWriter.NOT_RECEIVED : at / 1000 + RECEIVER_CLOCK_OFFSET_US;
        }
        byte[] fb = FeedbackWriter.write(0x1234, 0, (int) (nextFeedbackBase & 0xFFFF), feedbackCount++ & 0xFF,
                arrivals);
        arrived.headMap(highest, true).clear();
        nextFeedbackBase = highest + 1;
        feedbackInFlight.addLast(new Object[] {now + RETURN_DELAY_NS, fb});
    }
}
