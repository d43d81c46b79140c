package org.conclave.bench.run;

/**
 * One load step against one target.
 *
 * @param offeredPps packets per second the target should send out if it forwards everything (from the scenario)
 * @param expectedPackets sum over tracks of (packets sent in the window x participants that receive the track)
 * @param receivedPackets of those, how many arrived
 * @param outPps received packets per second of window
 * @param outMbps received SRTP datagram bits per second of window, in Mbit/s
 * @param cpuMicrosPerPacket target CPU time in the window divided by the packets it forwarded in it (wanted ones and
 *     {@code unexpected} ones), in microseconds
 * @param generatorCpuPercent the generator's own CPU use in the window (100 = one core)
 * @param lateTicks pacer ticks the generator sent late (it could not keep up)
 * @param unexpected packets of tracks the receiving participant had declined (a forwarding error of the target)
 * @param generatorSocketDrops datagrams the kernel dropped at full sockets in the generator's network namespace during
 *     the window (the generator fell behind); when targets share the namespace (loopback) this holds both
 * @param targetSocketDrops the same in the target's namespace (the target fell behind reading); -1 when it is the
 *     generator's namespace
 * @param sentRatio packets the generator sent in the window over what the step should send: below
 *     {@link ScenarioResult#MIN_SENT_RATIO} the generator itself was the bottleneck and the step says nothing of
 *     the target
 * @param liveHeapBytes the target JVM's live objects after a full GC once the window closed, -1 when not a JVM or
 *     not measured
 */
public record StepResult(String label, int participants, int transports, double offeredPps, long sentPackets,
        long expectedPackets, long receivedPackets, double loss, double outPps, double outMbps, double windowSeconds,
        double targetCpuSeconds, double targetCpuPercent, double cpuMicrosPerPacket, double generatorCpuPercent,
        long rssKb, int threads, long p50Micros, long p99Micros, long maxMicros, long sendDrops, long lateTicks,
        long srtpFailures, long unexpected, long foreign, int missingHandovers, double loadAverage,
        long generatorSocketDrops, long targetSocketDrops, double sentRatio, long liveHeapBytes) {

    /** The generator could not send the step's load: the ramp ends here and the knee is a lower bound. */
    public boolean generatorLimited() {
        return sentRatio < ScenarioResult.MIN_SENT_RATIO;
    }
}
