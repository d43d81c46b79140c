package org.conclave.sfu.srtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SsrcTableTest {

    @Test
    void storesAndFindsIncludingZeroAndNegativeSsrcs() {
        SsrcTable<String> t = new SsrcTable<>(8);
        int[] keys = {0, -1, 1, Integer.MIN_VALUE, Integer.MAX_VALUE, 0xCAFEBABE, 16, 32};
        for (int k : keys) {
            assertThat(t.put(k, "v" + k)).isTrue();
        }
        for (int k : keys) {
            assertThat(t.get(k)).isEqualTo("v" + k);
        }
        assertThat(t.get(2)).isNull();
        assertThat(t.size()).isEqualTo(8);
        assertThat(t.isFull()).isTrue();
        assertThat(t.put(3, "x")).isFalse();
        assertThat(t.get(3)).isNull();
    }

    @Test
    void collidingKeysAreAllReachable() {
        SsrcTable<Integer> t = new SsrcTable<>(64);
        for (int i = 0; i < 64; i++) {
            assertThat(t.put(i << 20, i)).isTrue(); // low bits equal: stresses probing
        }
        for (int i = 0; i < 64; i++) {
            assertThat(t.get(i << 20)).isEqualTo(i);
        }
        assertThat(t.get(64 << 20)).isNull();
    }

    @Test
    void duplicateKeyIsABug() {
        SsrcTable<String> t = new SsrcTable<>(4);
        t.put(7, "a");
        assertThatThrownBy(() -> t.put(7, "b")).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void removeFreesTheSlotAndKeepsTheRestReachable() {
        SsrcTable<String> t = new SsrcTable<>(4);
        for (int k = 0; k < 4; k++) t.put(k, "v" + k);
        assertThat(t.isFull()).isTrue();
        assertThat(t.remove(2)).isEqualTo("v2");
        assertThat(t.remove(2)).as("already gone").isNull();
        assertThat(t.remove(99)).isNull();
        assertThat(t.size()).isEqualTo(3);
        assertThat(t.get(2)).isNull();
        assertThat(t.put(2, "again")).isTrue();
        assertThat(t.get(2)).isEqualTo("again");
        for (int k : new int[] {0, 1, 3}) assertThat(t.get(k)).isEqualTo("v" + k);
    }

    @Test
    void removingFromAClusterThatWrapsAroundTheEndShiftsItsTailBack() {
        SsrcTable<Integer> t = new SsrcTable<>(8); // 16 slots
        // Keys whose home is one of the last slots, so their cluster wraps to the start of the array.
        int[] keys = new int[6];
        int found = 0;
        for (int k = 1; found < keys.length; k++) {
            if (homeOf(k, 16) >= 14) keys[found++] = k;
        }
        for (int k : keys) assertThat(t.put(k, k)).isTrue();
        for (int victim : keys) {
            SsrcTable<Integer> copy = new SsrcTable<>(8);
            for (int k : keys) copy.put(k, k);
            assertThat(copy.remove(victim)).isEqualTo(victim);
            for (int k : keys) assertThat(copy.get(k)).isEqualTo(k == victim ? null : Integer.valueOf(k));
            assertThat(copy.put(victim, -victim)).isTrue();
            assertThat(copy.get(victim)).isEqualTo(-victim);
            assertThat(copy.size()).isEqualTo(keys.length);
        }
    }

    @Test
    void aLongCallsComingAndGoingNeverFillsTheTable() {
        SsrcTable<Integer> t = new SsrcTable<>(64);
        java.util.Random random = new java.util.Random(7);
        java.util.Map<Integer, Integer> model = new java.util.HashMap<>();
        java.util.List<Integer> live = new java.util.ArrayList<>();
        for (int step = 0; step < 100_000; step++) {
            if (live.size() < 64 && (live.isEmpty() || random.nextBoolean())) {
                int k = random.nextInt(1 << 12) << 20 | random.nextInt(4); // many shared home slots
                if (model.containsKey(k)) continue;
                assertThat(t.put(k, step)).isTrue();
                model.put(k, step);
                live.add(k);
            } else {
                int k = live.remove(random.nextInt(live.size()));
                assertThat(t.remove(k)).isEqualTo(model.remove(k));
            }
            if (step % 997 == 0) {
                for (int k : live) assertThat(t.get(k)).isEqualTo(model.get(k));
            }
        }
        assertThat(t.size()).isEqualTo(live.size());
        for (int k : live) assertThat(t.get(k)).isEqualTo(model.get(k));
    }

    /** The table's hash, for choosing colliding keys. */
    private static int homeOf(int ssrc, int slots) {
        return (ssrc * 0x9E3779B9 >>> 16 ^ ssrc * 0x9E3779B9) & (slots - 1);
    }
}
