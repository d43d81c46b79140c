package org.conclave.tests.harness;

import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Loss of one sender's tagged audio at one receiver over a window: packets the sender sent in it against packets the
 * receiver got (those in flight at either edge cancel out over a window of seconds; a margin of a packet or two).
 */
public final class AudioWindow {
    private final LongSupplier sent;
    private final LongSupplier received;
    private long sentAtStart;
    private long receivedAtStart;
    private long sentDuring;
    private long receivedDuring;

    public AudioWindow(LongSupplier sent, LongSupplier received) {
        this.sent = sent;
        this.received = received;
    }

    public AudioWindow start() {
        sentAtStart = sent.getAsLong();
        receivedAtStart = received.getAsLong();
        return this;
    }

    public AudioWindow stop() {
        sentDuring = sent.getAsLong() - sentAtStart;
        receivedDuring = received.getAsLong() - receivedAtStart;
        return this;
    }

    public long sent() {
        return sentDuring;
    }

    /** Share of the window's packets that did not arrive (negative or zero: none lost). */
    public double lossRatio() {
        return sentDuring == 0 ? 1 : Math.max(0, (double) (sentDuring - receivedDuring) / sentDuring);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%d/%d packets, loss %.2f%%", receivedDuring, sentDuring, lossRatio() * 100);
    }
}
