package org.conclave.bench.load;

/**
 * What one receive loop saw: per track, the packets sent inside the current {@link Span} that arrived, their latency,
 * and totals. Written only by its loop's thread; {@link #takeInto} hands the numbers over and clears them.
 */
public final class Tally {
    final long[] received;
    final LatencyHistogram latency = new LatencyHistogram();
    long receivedBytes;
    long srtpFailures;
    long foreign;
    long unexpected;
    long rtcp;

    Tally(int tracks) {
        received = new long[tracks];
    }

    /** One decrypted probe of {@code track} that this receiver subscribed to ({@code wanted}) or not. */
    void onProbe(int track, boolean wanted, long sentNanos, long nowNanos, int datagramBytes, Span span) {
        if (!span.contains(sentNanos)) return;
        if (!wanted) {
            unexpected++;
            return;
        }
        received[track]++;
        receivedBytes += datagramBytes;
        latency.record((nowNanos - sentNanos) / 1000);
    }

    /** Adds this tally to {@code into} and clears it. Owner thread only. */
    void takeInto(Measured into) {
        for (int i = 0; i < received.length; i++) {
            into.received[i] += received[i];
            received[i] = 0;
        }
        into.latency.addAll(latency);
        latency.clear();
        into.receivedBytes += receivedBytes;
        into.srtpFailures += srtpFailures;
        into.foreign += foreign;
        into.unexpected += unexpected;
        into.rtcp += rtcp;
        receivedBytes = 0;
        srtpFailures = 0;
        foreign = 0;
        unexpected = 0;
        rtcp = 0;
    }
}
