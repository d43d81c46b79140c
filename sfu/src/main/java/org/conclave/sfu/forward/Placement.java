package org.conclave.sfu.forward;

import java.util.HashMap;
import java.util.Map;

/**
 * Which packet thread an endpoint goes to (control thread only). A conference lives on one thread, its home, chosen
 * when it starts as the thread with the least load (endpoints against the per-thread limit, plus the thread's measured
 * busy ratio); its endpoints join it there while the home has fewer than {@code maxPerThread}. Beyond that a
 * conference spans threads: the next endpoint goes to the least loaded thread, and sources reach it through a pipe.
 */
final class Placement {
    /** Busy ratios are re-measured when at least this long passed since the last look. */
    static final long MEASURE_INTERVAL_NS = 1_000_000_000L;
    /** Differences in busy ratio below this are noise, not load. */
    static final double BUSY_STEP = 0.1;

    private final PacketThread[] threads;
    private final int maxPerThread;
    private final int[] endpoints;
    private final Map<String, Integer> homeOf = new HashMap<>();
    private final Map<String, Integer> conferenceSize = new HashMap<>();
    private final Map<String, String> conferenceOf = new HashMap<>();
    private final Map<String, Integer> threadOf = new HashMap<>();
    private final double[] busy;
    private final long[] lastIdle;
    private long lastMeasure = System.nanoTime();

    Placement(PacketThread[] threads, int maxPerThread) {
        this.threads = threads;
        this.maxPerThread = maxPerThread;
        this.endpoints = new int[threads.length];
        this.busy = new double[threads.length];
        this.lastIdle = new long[threads.length];
    }

    /** @return the thread for a new endpoint of {@code conferenceId} */
    int place(String endpointId, String conferenceId) {
        Integer home = homeOf.get(conferenceId);
        int thread;
        if (home != null && endpoints[home] < maxPerThread) {
            thread = home;
        } else {
            thread = leastLoaded();
            if (home == null) homeOf.put(conferenceId, thread);
        }
        endpoints[thread]++;
        conferenceSize.merge(conferenceId, 1, Integer::sum);
        conferenceOf.put(endpointId, conferenceId);
        threadOf.put(endpointId, thread);
        return thread;
    }

    void removed(String endpointId) {
        Integer thread = threadOf.remove(endpointId);
        String conference = conferenceOf.remove(endpointId);
        if (thread == null) return;
        endpoints[thread]--;
        if (conferenceSize.merge(conference, -1, Integer::sum) <= 0) {
            conferenceSize.remove(conference);
            homeOf.remove(conference);
        }
    }

    int[] endpointsPerThread() {
        return endpoints.clone();
    }

    private int leastLoaded() {
        measure();
        int best = 0;
        double bestScore = Double.MAX_VALUE;
        for (int i = 0; i < threads.length; i++) {
            // Busy ratios in steps of BUSY_STEP: noise between idle threads must not decide (ties go to the lowest).
            double load = Math.floor(busy[i] / BUSY_STEP) * BUSY_STEP;
            double score = (double) endpoints[i] / maxPerThread + load + (endpoints[i] >= maxPerThread ? 10 : 0);
            if (score < bestScore) {
                bestScore = score;
                best = i;
            }
        }
        return best;
    }

    /** Each thread's busy ratio since the last look: 1 - idle time / wall time (its own counter, read racily). */
    private void measure() {
        long now = System.nanoTime();
        long wall = now - lastMeasure;
        if (wall < MEASURE_INTERVAL_NS) return;
        for (int i = 0; i < threads.length; i++) {
            long idle = threads[i].stats.idleNanos();
            busy[i] = Math.max(0, Math.min(1, 1 - (double) (idle - lastIdle[i]) / wall));
            lastIdle[i] = idle;
        }
        lastMeasure = now;
    }
}
