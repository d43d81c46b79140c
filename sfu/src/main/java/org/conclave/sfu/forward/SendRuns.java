package org.conclave.sfu.forward;

import java.net.InetSocketAddress;

/**
 * Counts what UDP GSO could join in a packet thread's sends, without changing them: per loop turn and per receiver,
 * the runs of equal-length datagrams in that receiver's order (the run's last may be shorter, as GSO allows), at most
 * {@link #MAX_SEGMENTS} and {@link #MAX_RUN_BYTES} a run. A run of one would be a plain send. docs/architecture.md
 * ("Next step: batched sends") decides on these numbers whether batching sends can pay.
 *
 * <p>Single-threaded (the packet thread), preallocated: a turn's receivers live in an open-addressing table keyed by
 * the receiver's address object (an endpoint's {@code sendAddress} is one object while it does not move), emptied at
 * {@link #endTurn()}. A turn with more receivers than the table holds ends early, which only undercounts.
 */
final class SendRuns {
    static final int MAX_SEGMENTS = 64;
    /** A UDP datagram's payload, GSO's whole buffer included, is at most 65,507 bytes (IPv4). */
    static final int MAX_RUN_BYTES = 65_000;
    private static final int CAPACITY = 4096;
    private static final int MAX_RECEIVERS = CAPACITY / 2;

    private final WorkerStats stats;
    private final InetSocketAddress[] keys = new InetSocketAddress[CAPACITY];
    private final int[] segment = new int[CAPACITY];
    private final int[] count = new int[CAPACITY];
    private final int[] bytes = new int[CAPACITY];
    private final boolean[] closed = new boolean[CAPACITY];
    private final int[] touched = new int[MAX_RECEIVERS];
    private int receivers;

    SendRuns(WorkerStats stats) {
        this.stats = stats;
    }

    /** One datagram of {@code len} bytes to {@code to}, in send order. */
    void sent(int len, InetSocketAddress to) {
        int i = slot(to);
        if (keys[i] == null) {
            if (receivers == MAX_RECEIVERS) {
                endTurn();
                i = slot(to);
            }
            keys[i] = to;
            touched[receivers++] = i;
            start(i, len);
            return;
        }
        if (!joins(count[i], segment[i], bytes[i], closed[i], len)) {
            finish(i);
            start(i, len);
            return;
        }
        count[i]++;
        bytes[i] += len;
        if (len < segment[i]) closed[i] = true; // a shorter datagram can only end a GSO run
    }

    /** The loop's turn ends (it would flush here): every receiver's open run is counted. */
    void endTurn() {
        if (receivers == 0) return;
        for (int t = 0; t < receivers; t++) {
            int i = touched[t];
            finish(i);
            keys[i] = null;
        }
        receivers = 0;
        stats.sendTurns++;
    }

    private void start(int i, int len) {
        segment[i] = len;
        count[i] = 1;
        bytes[i] = len;
        closed[i] = false;
    }

    private void finish(int i) {
        count(stats, count[i]);
    }

    /** One send of {@code n} datagrams (a GSO run, or 1: plain), in the counters both send paths share. */
    static void count(WorkerStats stats, int n) {
        stats.sendRuns++;
        if (n > 1) {
            stats.joinedRuns++;
            stats.joinedDatagrams += n;
            if (n == 2) {
                stats.joinedIn2 += n;
            } else if (n <= 4) {
                stats.joinedIn3To4 += n;
            } else if (n <= 8) {
                stats.joinedIn5To8 += n;
            } else {
                stats.joinedIn9Up += n;
            }
        }
    }

    private int slot(InetSocketAddress to) {
        return slot(keys, to);
    }

    /**
     * Whether a datagram of {@code len} bytes joins an open run of {@code count} datagrams ({@code runBytes} in all)
     * of {@code segment} bytes each: GSO's rule, shared by this count and {@link GsoOut}'s sends.
     */
    static boolean joins(int count, int segment, int runBytes, boolean closed, int len) {
        return !closed && len <= segment && count < MAX_SEGMENTS && runBytes + len <= MAX_RUN_BYTES;
    }

    /**
     * The slot of receiver {@code to} in an open-addressing table keyed by address object identity (a power-of-two
     * length, never full): its own, or the empty one where it goes.
     */
    static int slot(InetSocketAddress[] keys, InetSocketAddress to) {
        int mask = keys.length - 1;
        int h = System.identityHashCode(to);
        int i = (h ^ (h >>> 16)) & mask;
        while (keys[i] != null && keys[i] != to) i = (i + 1) & mask;
        return i;
    }
}
