package org.conclave.bench.kernel;

import java.lang.management.ManagementFactory;

/** One measured run of one sender on one pattern. */
record Sample(String variant, double pps, double threadUsPerPacket, double processUsPerPacket,
        double allocatedBytesPerPacket, double delivered, long dropped) {

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    /** Runs on the sender's own thread: a warm-up, then {@code runNanos} of turns, measured. */
    static Sample measure(Sender s, Pattern p, Sinks sinks, int len, long warmNanos, long runNanos)
            throws java.io.IOException {
        byte[] tx = new byte[2048];
        for (int i = 0; i < len; i++) tx[i] = (byte) i;
        long turn = 0;
        long end = System.nanoTime() + warmNanos;
        while (System.nanoTime() < end) p.turn(s, tx, len, turn++);

        long dropped0 = s.dropped();
        long lost0 = sinks.kernelDrops();
        long proc0 = OS.getProcessCpuTime();
        long alloc0 = THREADS.getCurrentThreadAllocatedBytes();
        long cpu0 = THREADS.getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        end = t0 + runNanos;
        long packets = 0;
        long now;
        do {
            packets += p.turn(s, tx, len, turn++);
            now = System.nanoTime();
        } while (now < end);
        long cpu = THREADS.getCurrentThreadCpuTime() - cpu0;
        long alloc = THREADS.getCurrentThreadAllocatedBytes() - alloc0;
        long proc = OS.getProcessCpuTime() - proc0;
        long lost = sinks.kernelDrops() - lost0;
        return new Sample(s.name(), packets * 1e9 / (now - t0), cpu / 1e3 / packets, proc / 1e3 / packets,
                (double) alloc / packets, lost0 < 0 ? Double.NaN : 1 - (double) lost / packets, s.dropped() - dropped0);
    }
}
