package org.conclave.sfu.repair;

import static org.assertj.core.api.Assertions.assertThat;

import org.conclave.sfu.clock.FakeClock;
import org.conclave.sfu.rtp.Hex;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

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

    /** Streams the benchmark sends (packets/s, bytes): the ring ends near one max age of bytes, not 1,500 B a slot. */
    @ParameterizedTest(name = "{0} packets/s of {1} B")
    @CsvSource({
        "30, 600, 22384, 64",     // thumbnail: 18 KB a second (64 slots of 1,500 B were 96 KB)
        "180, 1200, 260512, 256", // full-res: 217 KB a second (256 slots were 384 KB)
        "50, 1500, 85372, 64",    // few large packets: 75 KB a second
        "1000, 100, 54640, 512",  // many small ones: the index stops at its max (53 KB of records)
    })
    void ringHoldsOneMaxAgeOfBytes(int rate, int size, int ringBytes, int index) {
        PacketCache cache = new PacketCache(512, 1_000);
        long intervalNanos = 1_000_000_000L / rate;
        for (int seq = 0; seq < 5 * rate; seq++) {
            assertThat(cache.put(packet(seq, size), 0, size, clock.nanoTime())).isTrue();
            clock.advanceNanos(intervalNanos);
        }
        assertThat(cache.ringBytes()).isEqualTo(ringBytes);
        assertThat(cache.capacity()).isEqualTo(index);
        int last = 5 * rate - 1;
        int kept = Math.min(rate - 1, index - 1);
        byte[] out = new byte[size];
        for (int seq = last - kept; seq <= last; seq++) {
            int slot = cache.find(seq, clock.nanoTime());
            assertThat(slot).as("seq %d", seq).isNotNegative();
            assertThat(cache.copy(slot, out, 0)).isEqualTo(size);
            assertThat(out).as("seq %d", seq).isEqualTo(packet(seq, size));
        }
    }

    /** Sizes that do not divide the ring: records skip its end and grow across it; every kept packet reads back whole. */
    @Test
    void packetsOfMixedSizesReadBackWholeAcrossTheRingsEnd() {
        PacketCache cache = new PacketCache(512, 1_000);
        int[] sizes = {1500, 20, 701, 1199, 64, 333, 1500, 999};
        byte[] out = new byte[PacketCache.SLOT_BYTES];
        for (int seq = 0; seq < 3_000; seq++) {
            int size = sizes[seq % sizes.length];
            cache.put(packet(seq, size), 0, size, clock.nanoTime());
            clock.advanceMillis(seq % 300 < 150 ? 1 : 7); // bursts make the ring grow while it wraps
            for (int back = 0; back < 40 && back <= seq; back++) {
                int s = seq - back;
                int slot = cache.find(s, clock.nanoTime());
                assertThat(slot).as("seq %d after %d", s, seq).isNotNegative();
                int len = cache.copy(slot, out, 0);
                assertThat(Arrays.copyOf(out, len)).as("seq %d", s).isEqualTo(packet(s, sizes[s % sizes.length]));
            }
        }
    }

    /** At its largest the ring drops its oldest packets however young; an index slot reused keeps its new packet. */
    @Test
    void aFullRingDropsTheOldestEvenIfYoung() {
        PacketCache cache = new PacketCache(4, 1_000);
        assertThat(cache.ringBytes()).isEqualTo(PacketCache.INITIAL_RING_BYTES);
        for (int seq = 0; seq < 6; seq++) {
            cache.put(packet(seq, 1500), 0, 1500, clock.nanoTime());
        }
        assertThat(cache.ringBytes()).isEqualTo(4 * 1504);
        assertThat(cache.find(1, clock.nanoTime())).isEqualTo(-1);
        for (int seq = 2; seq < 6; seq++) {
            assertThat(cache.find(seq, clock.nanoTime())).as("seq %d", seq).isNotNegative();
        }
        cache.clear();
        assertThat(cache.find(5, clock.nanoTime())).isEqualTo(-1);
        cache.put(packet(9, 30), 0, 30, clock.nanoTime());
        byte[] out = new byte[30];
        cache.copy(cache.find(9, clock.nanoTime()), out, 0);
        assertThat(out).isEqualTo(packet(9, 30));
    }

    /** A {@code size}-byte RTP packet with sequence number {@code seq} and a payload derived from both. */
    static byte[] packet(int seq, int size) {
        byte[] p = Arrays.copyOf(packet(seq), size);
        for (int i = 12; i < size; i++) {
            p[i] = (byte) (seq * 7 + i * 3 + size);
        }
        return p;
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
