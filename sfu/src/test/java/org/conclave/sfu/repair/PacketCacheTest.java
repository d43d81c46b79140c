package org.conclave.sfu.repair;

import static org.assertj.core.api.Assertions.assertThat;

import org.conclave.sfu.clock.FakeClock;
import org.conclave.sfu.rtp.Hex;
import org.junit.jupiter.api.Test;

public class PacketCacheTest {
    /** V=2 P=1 X=1, M=1 PT=96, seq 0x1234, ts 0x1000, SSRC 0x11223344, one-byte extension, 4 payload bytes, padding 3. */
    static final String PACKET = "b0 e0 12 34 | 00 00 10 00 | 11 22 33 44 | be de 00 01 | 10 aa 00 00 | de ad be ef"
            + " | 00 00 03";
    private final FakeClock clock = new FakeClock();

    @Test
    void evictsTheOldestWhenFullAndForgetsStalePackets() {
        PacketCache cache = new PacketCache(64, 1_000);
        for (int seq = 0; seq < 64; seq++) {
            cache.put(packet(seq), 0, 20, clock.nanoTime());
        }
        assertThat(cache.find(0, clock.nanoTime())).isNotNegative();
        cache.put(packet(64), 0, 20, clock.nanoTime());
        assertThat(cache.find(0, clock.nanoTime())).isEqualTo(-1);
        assertThat(cache.find(64, clock.nanoTime())).isNotNegative();
        assertThat(cache.find(1, clock.nanoTime())).isNotNegative();
        assertThat(cache.find(65, clock.nanoTime())).isEqualTo(-1);
        clock.advanceMillis(1_001);
        assertThat(cache.find(64, clock.nanoTime())).isEqualTo(-1);
    }

    @Test
    void growsOnlyWhileItWouldOverwriteYoungPackets() {
        PacketCache cache = new PacketCache(512, 1_000);
        assertThat(cache.capacity()).isEqualTo(PacketCache.INITIAL_CAPACITY);
        for (int seq = 0; seq < 200; seq++) {
            cache.put(packet(seq), 0, 20, clock.nanoTime());
            clock.advanceMillis(1);
        }
        assertThat(cache.capacity()).isEqualTo(256);
        for (int seq = 0; seq < 200; seq++) {
            assertThat(cache.find(seq, clock.nanoTime())).as("seq %d", seq).isNotNegative();
        }
        byte[] out = new byte[20];
        cache.copy(cache.find(7, clock.nanoTime()), out, 0);
        assertThat(out).isEqualTo(packet(7));

        // A slow stream: each packet 20 ms apart overwrites only stale ones.
        PacketCache slow = new PacketCache(512, 1_000);
        for (int seq = 0; seq < 500; seq++) {
            slow.put(packet(seq), 0, 20, clock.nanoTime());
            clock.advanceMillis(20);
        }
        assertThat(slow.capacity()).isEqualTo(64);
        // And never beyond the maximum.
        PacketCache capped = new PacketCache(128, 1_000);
        for (int seq = 0; seq < 1000; seq++) {
            capped.put(packet(seq), 0, 20, clock.nanoTime());
        }
        assertThat(capped.capacity()).isEqualTo(128);
        assertThat(capped.find(999 - 127, clock.nanoTime())).isNotNegative();
        assertThat(capped.find(999 - 128, clock.nanoTime())).isEqualTo(-1);
    }

    @Test
    void sequenceWrapAndDuplicates() {
        PacketCache cache = new PacketCache(NackOptions.DEFAULTS);
        for (int i = 0; i < 12; i++) {
            cache.put(packet((65_530 + i) & 0xFFFF), 0, 20, clock.nanoTime());
        }
        for (int i = 0; i < 12; i++) {
            assertThat(cache.find((65_530 + i) & 0xFFFF, clock.nanoTime())).isNotNegative();
        }
        byte[] newer = packet(3);
        newer[19] = 0x7F;
        cache.put(newer, 0, 20, clock.nanoTime());
        byte[] out = new byte[20];
        cache.copy(cache.find(3, clock.nanoTime()), out, 0);
        assertThat(out[19]).isEqualTo((byte) 0x7F);
    }

    @Test
    void refusesWhatIsNotRtpOrTooLarge() {
        PacketCache cache = new PacketCache(NackOptions.DEFAULTS);
        assertThat(cache.put(new byte[20], 0, 20, 0)).isFalse();
        byte[] big = new byte[1600];
        big[0] = (byte) 0x80;
        assertThat(cache.put(big, 0, 1501, 0)).isFalse();
        assertThat(cache.put(big, 0, 1500, 0)).isTrue();
        assertThat(cache.put(packet(1), 0, 25, 0)).isFalse();
    }

    /** A 20-byte RTP packet with sequence number {@code seq} and a payload derived from it. */
    public static byte[] packet(int seq) {
        byte[] p = new byte[20];
        p[0] = (byte) 0x80;
        p[1] = 96;
        p[2] = (byte) (seq >> 8);
        p[3] = (byte) seq;
        p[8] = 0x0A;
        for (int i = 12; i < 20; i++) {
            p[i] = (byte) (seq * 7 + i);
        }
        return p;
    }
}
