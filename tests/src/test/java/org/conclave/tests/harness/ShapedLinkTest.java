package org.conclave.tests.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ShapedLinkTest {
    static final long MS = 1_000_000L;
    static final long T0 = 5_000 * MS;

    @Test
    void unlimitedLinkDeliversAfterTheDelayOnly() {
        ShapedLink link = new ShapedLink(1).delayMs(40);
        assertThat(link.admit(T0, 1200)).isEqualTo(T0 + 40 * MS);
        assertThat(link.admit(T0, 1200)).isEqualTo(T0 + 40 * MS);
        assertThat(link.forwarded()).isEqualTo(2);
        assertThat(link.forwardedBytes()).isEqualTo(2400);
    }

    @Test
    void bottleneckSerialisesBackToBackPackets() {
        // 1000 bytes at 800 kbit/s take 10 ms each.
        ShapedLink link = new ShapedLink(1).rateBps(800_000).delayMs(5);
        assertThat(link.admit(T0, 1000)).isEqualTo(T0 + 15 * MS);
        assertThat(link.admit(T0, 1000)).isEqualTo(T0 + 25 * MS);
        assertThat(link.admit(T0 + 2 * MS, 500)).isEqualTo(T0 + 30 * MS);
        // An idle link starts afresh.
        assertThat(link.admit(T0 + 100 * MS, 1000)).isEqualTo(T0 + 115 * MS);
    }

    @Test
    void queueBeyondItsLimitDropsTheTail() {
        // 1000 bytes at 80 kbit/s take 100 ms; a 250 ms queue holds the packets that start within 250 ms.
        ShapedLink link = new ShapedLink(1).rateBps(80_000).queueLimitMs(250);
        long[] out = new long[5];
        for (int i = 0; i < out.length; i++) out[i] = link.admit(T0, 1000);
        assertThat(out).containsExactly(T0 + 100 * MS, T0 + 200 * MS, T0 + 300 * MS, ShapedLink.QUEUE_FULL,
                ShapedLink.QUEUE_FULL);
        assertThat(link.queueDropped()).isEqualTo(2);
        assertThat(link.forwarded()).isEqualTo(3);
        // Once the queue drains below the limit, packets are accepted again.
        assertThat(link.admit(T0 + 60 * MS, 1000)).isEqualTo(T0 + 400 * MS);
    }

    @Test
    void sustainedOverloadIsCappedAtTheRate() {
        // 2 Mbit/s offered into 500 kbit/s for 10 s: delivered bytes match the bottleneck, the rest is dropped.
        ShapedLink link = new ShapedLink(1).rateBps(500_000);
        long lastDelivery = 0;
        for (long t = 0; t < 10_000 * MS; t += 5 * MS) {
            long at = link.admit(T0 + t, 1250);
            if (ShapedLink.delivered(at)) lastDelivery = at;
        }
        double seconds = (lastDelivery - T0) / 1e9;
        assertThat(link.forwardedBytes() * 8 / seconds).isBetween(490_000.0, 510_000.0);
        assertThat(link.queueDropped()).isGreaterThan(link.forwarded());
    }

    @Test
    void rateChangesApplyToTheNextPacket() {
        ShapedLink link = new ShapedLink(1).rateBps(800_000);
        assertThat(link.admit(T0, 1000)).isEqualTo(T0 + 10 * MS);
        link.rateBps(1_600_000);
        assertThat(link.admit(T0 + 10 * MS, 1000)).isEqualTo(T0 + 15 * MS);
        link.rateBps(ShapedLink.UNLIMITED);
        assertThat(link.admit(T0 + 15 * MS, 1000)).isEqualTo(T0 + 15 * MS);
    }

    @Test
    void randomLossIsSeededAndNearItsPercentage() {
        ShapedLink a = new ShapedLink(42).lossPercent(5);
        ShapedLink b = new ShapedLink(42).lossPercent(5);
        StringBuilder pa = new StringBuilder();
        StringBuilder pb = new StringBuilder();
        for (int i = 0; i < 20_000; i++) {
            pa.append(ShapedLink.delivered(a.admit(T0 + i * MS, 100)) ? '.' : 'x');
            pb.append(ShapedLink.delivered(b.admit(T0 + i * MS, 100)) ? '.' : 'x');
        }
        assertThat(pa.toString()).isEqualTo(pb.toString());
        assertThat(a.lost()).isBetween(850L, 1150L);
        assertThat(a.forwarded() + a.lost()).isEqualTo(20_000);
    }

    @Test
    void lossHappensBeforeTheQueueSoLostPacketsTakeNoCapacity() {
        ShapedLink link = new ShapedLink(3).lossPercent(100).rateBps(8_000);
        assertThat(link.admit(T0, 1000)).isEqualTo(ShapedLink.LOST);
        link.lossPercent(0);
        assertThat(link.admit(T0, 1000)).isEqualTo(T0 + 1000 * MS);
    }

    @Test
    void jitterDelaysEachPacketUpToItsBoundAndReorders() {
        ShapedLink link = new ShapedLink(3).delayMs(10).jitterMs(30);
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        int reordered = 0;
        long previous = Long.MIN_VALUE;
        for (int i = 0; i < 1000; i++) {
            long now = i * 1_000_000L; // one packet a millisecond
            long extra = link.admit(now, 100) - now;
            min = Math.min(min, extra);
            max = Math.max(max, extra);
            if (now + extra < previous) reordered++;
            previous = Math.max(previous, now + extra);
        }
        assertThat(min).isGreaterThanOrEqualTo(10_000_000L);
        assertThat(max).isLessThanOrEqualTo(40_000_000L).isGreaterThan(35_000_000L);
        assertThat(reordered).as("packets overtaken by earlier ones").isGreaterThan(100);
    }

    @Test
    void rejectsNonsenseSettings() {
        ShapedLink link = new ShapedLink(1);
        assertThatThrownBy(() -> link.rateBps(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> link.lossPercent(101)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> link.delayMs(-5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> link.queueLimitMs(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
