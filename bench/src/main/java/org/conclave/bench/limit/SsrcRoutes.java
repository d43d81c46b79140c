package org.conclave.bench.limit;

import java.util.Arrays;

/**
 * SSRC -> receivers, open addressing over int keys: one lookup per packet without boxing. Packet thread only.
 */
final class SsrcRoutes {
    static final int CAPACITY = 1 << 14;
    private static final LimitEndpoint[] NONE = new LimitEndpoint[0];

    private final int[] keys = new int[CAPACITY];
    private final boolean[] used = new boolean[CAPACITY];
    private final LimitEndpoint[][] receivers = new LimitEndpoint[CAPACITY][];
    private int size;

    /** The receivers of {@code ssrc}; empty when nobody subscribed. */
    LimitEndpoint[] get(int ssrc) {
        int i = slot(ssrc);
        return used[i] ? receivers[i] : NONE;
    }

    void add(int ssrc, LimitEndpoint receiver) {
        int i = slot(ssrc);
        if (!used[i]) {
            if (size >= CAPACITY / 2) throw new IllegalStateException("too many routed SSRCs");
            used[i] = true;
            keys[i] = ssrc;
            receivers[i] = NONE;
            size++;
        }
        for (LimitEndpoint r : receivers[i]) {
            if (r == receiver) return;
        }
        LimitEndpoint[] next = Arrays.copyOf(receivers[i], receivers[i].length + 1);
        next[next.length - 1] = receiver;
        receivers[i] = next;
    }

    private int slot(int ssrc) {
        int i = (ssrc * 0x9E3779B9) >>> 18; // Fibonacci hashing into 2^14 slots
        while (used[i] && keys[i] != ssrc) i = (i + 1) & (CAPACITY - 1);
        return i;
    }
}
