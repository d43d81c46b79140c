package org.conclave.bench.run;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.conclave.bench.client.BenchTransport;
import org.conclave.bench.heap.HeapOwners;
import org.conclave.bench.heap.HeapProbe;
import org.conclave.bench.load.Generator;
import org.conclave.bench.load.Measured;
import org.conclave.bench.load.Span;
import org.conclave.bench.scenario.Participant;
import org.conclave.bench.scenario.Scenario;
import org.conclave.bench.scenario.Step;
import org.conclave.bench.scenario.Track;
import org.conclave.bench.target.ProcStats;
import org.conclave.bench.target.Target;

/**
 * Ramps one scenario against one target: per step, join, let media settle, measure one window, and stop at the first
 * step whose loss reaches {@link ScenarioResult#LOSS_LIMIT}. Every load is bounded: a fixed list of steps, each a
 * fixed number of seconds.
 */
public final class Runner {
    /**
     * @param settleMillis media flows this long after a step's joins before the window opens (key-frame requests,
     *     socket buffers, JIT)
     * @param windowMillis the measured window
     * @param graceMillis after the window, time for its last packets to arrive
     */
    public record Settings(long settleMillis, long windowMillis, long graceMillis) {
        public static final Settings FULL = new Settings(3_000, 5_000, 500);
        public static final Settings QUICK = new Settings(1_000, 1_500, 300);
    }

    private final Settings settings;
    private final PrintStream log;
    private final int maxSteps;
    private final HeapProbe heap;
    private final boolean stopAtLoss;

    public Runner(Settings settings, PrintStream log) {
        this(settings, log, Integer.MAX_VALUE, null, true);
    }

    /**
     * @param maxSteps the ramp ends after this many steps even without reaching the loss limit
     * @param heap measures the live heap of targets that are JVMs of their own, idle and after every step's window
     *     (a full GC, outside the window); null: not measured
     * @param stopAtLoss end the ramp at the first step that reaches the loss limit (false: measure every step up to
     *     {@code maxSteps}, e.g. memory on a busy machine)
     */
    public Runner(Settings settings, PrintStream log, int maxSteps, HeapProbe heap, boolean stopAtLoss) {
        this.settings = settings;
        this.log = log;
        this.maxSteps = maxSteps;
        this.heap = heap;
        this.stopAtLoss = stopAtLoss;
    }

    public ScenarioResult run(Scenario scenario, Target target, Generator generator) {
        List<StepResult> steps = new ArrayList<>();
        long idleRss = -1;
        long idleHeap = -1;
        String owners = null;
        HeapOwners.Census idleCensus = null;
        String error = null;
        String profile = null;
        try {
            target.start(generator);
            Thread.sleep(settings.settleMillis());
            idleRss = ProcStats.rssKb(target.pid());
            idleHeap = liveHeap(scenario, target, "idle");
            log.printf("[%s/%s] started pid %d, idle RSS %d kB, live heap %d kB%n", scenario.name(), target.name(),
                    target.pid(), idleRss, idleHeap / 1024);
            if (measuresHeap(target) && heap.dumps()) idleCensus = census(scenario, target, "idle");
            for (int i = 0; i < Math.min(maxSteps, scenario.steps().size()); i++) {
                Step step = scenario.steps().get(i);
                List<Participant> everyone = scenario.participantsUpTo(i);
                long joinStart = System.nanoTime();
                target.join(step.joining(), everyone);
                List<Track> starting = new ArrayList<>();
                for (Participant p : step.joining()) starting.addAll(p.publishes());
                generator.activate(starting);
                log.printf("[%s/%s] step %s: %d participants joined in %.1f s%n", scenario.name(), target.name(),
                        step.label(), everyone.size(), (System.nanoTime() - joinStart) / 1e9);
                if (profile == null) profile = profileOf(generator);
                StepResult r = measure(scenario, step, everyone, target, generator, "step" + (i + 1));
                steps.add(r);
                HeapOwners.Census loaded = idleCensus != null && heap.dumpsAfter(i)
                        ? census(scenario, target, "step" + (i + 1)) : null;
                if (loaded != null) {
                    owners = "Step " + step.label() + ", " + everyone.size() + " participants:\n\n"
                            + HeapOwners.table(idleCensus, loaded, everyone.size()) + "\nWhat the largest hold:\n\n"
                            + HeapOwners.details(idleCensus, loaded, everyone.size(), 8);
                    log.printf("[%s/%s]   live heap by owner%n%s", scenario.name(), target.name(), owners);
                }
                logStep(scenario, target, r);
                if (stopAtLoss && ScenarioResult.endsRamp(r)) break;
            }
        } catch (Exception e) {
            error = e.toString();
            log.printf("[%s/%s] stopped: %s%n", scenario.name(), target.name(), e);
            e.printStackTrace(log);
        }
        return new ScenarioResult(scenario.name(), scenario.title(), target.name(), target.description(), idleRss,
                profile, steps, error, idleHeap, owners);
    }

    private void logStep(Scenario scenario, Target target, StepResult r) {
        log.printf("[%s/%s]   out %.0f pps (offered %.0f) %.1f Mbit/s, loss %.3f%%, declined %.0f pps, target CPU "
                        + "%.0f%% (%.2f us/pkt), gen CPU %.0f%%, p50 %.2f ms p99 %.2f ms, RSS %d kB, late %d, drops %d, "
                        + "socket overflows gen %d / target %d%n",
                scenario.name(), target.name(), r.outPps(), r.offeredPps(), r.outMbps(), r.loss() * 100,
                r.unexpected() / r.windowSeconds(),
                r.targetCpuPercent(), r.cpuMicrosPerPacket(), r.generatorCpuPercent(), r.p50Micros() / 1000.0,
                r.p99Micros() / 1000.0, r.rssKb(), r.lateTicks(), r.sendDrops(), r.generatorSocketDrops(),
                r.targetSocketDrops());
        if (r.liveHeapBytes() >= 0) log.printf("[%s/%s]   live heap %d kB%n", scenario.name(), target.name(),
                r.liveHeapBytes() / 1024);
        String counters = target.counters();
        if (!counters.isEmpty()) log.printf("[%s/%s]   server counters %s%n", scenario.name(), target.name(), counters);
        if (r.generatorLimited()) {
            log.printf("[%s/%s]   the generator sent only %.0f%% of the step's load: ramp ends here%n",
                    scenario.name(), target.name(), r.sentRatio() * 100);
        }
    }

    private boolean measuresHeap(Target target) {
        return heap != null && target.ownJvm();
    }

    /** Live heap of the target after a full GC (-1 when not measured); its class histogram is kept. */
    private long liveHeap(Scenario scenario, Target target, String when) {
        if (!measuresHeap(target)) return -1;
        return heap.liveBytes(target.pid(), scenario.name() + "-" + target.name() + "-" + when);
    }

    /**
     * Dumps the target's live heap and charges every object to its owner; the dump is deleted afterwards. A failure
     * is logged and gives null: the ramp goes on without the table.
     */
    private HeapOwners.Census census(Scenario scenario, Target target, String when) {
        java.nio.file.Path dump = null;
        try {
            dump = heap.dump(target.pid(), scenario.name() + "-" + target.name() + "-" + when);
            return HeapOwners.census(dump);
        } catch (java.io.IOException | RuntimeException e) {
            log.printf("[%s/%s]   heap dump %s failed: %s%n", scenario.name(), target.name(), when, e);
            return null;
        } finally {
            try {
                if (dump != null) java.nio.file.Files.deleteIfExists(dump);
            } catch (java.io.IOException e) {
                // a dump left in the work directory
            }
        }
    }

    private static String profileOf(Generator g) {
        for (BenchTransport t : g.transports()) {
            if (t.profile() != null) return t.profile().name();
        }
        return null;
    }

    private StepResult measure(Scenario scenario, Step step, List<Participant> everyone, Target target, Generator g,
            String heapLabel) throws InterruptedException {
        int[] receivers = new int[scenario.tracks().size()];
        java.util.Set<Integer> joined = new java.util.HashSet<>();
        for (Participant p : everyone) joined.add(p.id());
        double offered = 0;
        double nominalPerSecond = 0;
        for (Participant p : everyone) {
            for (Track t : p.publishes()) nominalPerSecond += g.profile().packetsPerSecond(t.kind());
        }
        for (Participant p : everyone) {
            for (int w : p.wants()) {
                Track t = scenario.track(w);
                if (joined.contains(t.owner())) {
                    receivers[w]++;
                    offered += g.profile().packetsPerSecond(t.kind());
                }
            }
        }
        Thread.sleep(settings.settleMillis());
        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20);
        long end = start + TimeUnit.MILLISECONDS.toNanos(settings.windowMillis());
        g.open(new Span(start, end));
        sleepUntil(start);
        long self = ProcessHandle.current().pid();
        boolean ownNamespace = !sameNetworkNamespace(self, target.pid());
        long genDrops0 = ProcStats.udpReceiveBufferErrors(self);
        long targetDrops0 = ownNamespace ? ProcStats.udpReceiveBufferErrors(target.pid()) : 0;
        double cpu0 = ProcStats.cpuSeconds(target.pid());
        double gen0 = ProcStats.cpuSeconds(self);
        sleepUntil(end);
        double cpu1 = ProcStats.cpuSeconds(target.pid());
        double gen1 = ProcStats.cpuSeconds(self);
        Thread.sleep(settings.graceMillis());
        long genDrops = ProcStats.udpReceiveBufferErrors(self) - genDrops0;
        long targetDrops = ownNamespace ? ProcStats.udpReceiveBufferErrors(target.pid()) - targetDrops0 : -1;
        g.closeWindow();
        Measured m = g.collect();
        long rss = ProcStats.rssKb(target.pid()); // before the full GC below, which may shrink it
        int threads = ProcStats.threads(target.pid());
        double load = loadAverage();
        long liveHeapAfter = liveHeap(scenario, target, heapLabel);
        long expected = 0;
        long received = 0;
        long sent = 0;
        for (int i = 0; i < receivers.length; i++) {
            expected += m.sent[i] * receivers[i];
            received += Math.min(m.received[i], m.sent[i] * receivers[i]);
            sent += m.sent[i];
        }
        double seconds = (end - start) / 1e9;
        double cpu = cpu1 - cpu0;
        double loss = expected == 0 ? 1.0 : 1.0 - received / (double) expected;
        int transports = g.transports().size();
        return new StepResult(step.label(), everyone.size(), transports, offered, sent, expected, received, loss,
                received / seconds, m.receivedBytes * 8 / seconds / 1e6, seconds, cpu, 100 * cpu / seconds,
                received == 0 ? Double.NaN : cpu * 1e6 / (received + m.unexpected), 100 * (gen1 - gen0) / seconds,
                rss, threads, m.latency.percentile(0.5),
                m.latency.percentile(0.99), m.latency.max(), m.sendDrops, m.lateTicks, m.srtpFailures, m.unexpected,
                m.foreign, m.missingHandovers, load, genDrops, targetDrops,
                nominalPerSecond == 0 ? 1.0 : sent / (nominalPerSecond * seconds), liveHeapAfter);
    }

    private static boolean sameNetworkNamespace(long a, long b) {
        try {
            return java.nio.file.Files.readSymbolicLink(java.nio.file.Path.of("/proc/" + a + "/ns/net"))
                    .equals(java.nio.file.Files.readSymbolicLink(java.nio.file.Path.of("/proc/" + b + "/ns/net")));
        } catch (Exception e) {
            return true;
        }
    }

    private static double loadAverage() {
        try {
            return Double.parseDouble(java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).split(" ")[0]);
        } catch (Exception e) {
            return Double.NaN;
        }
    }

    private static void sleepUntil(long nanos) throws InterruptedException {
        long left;
        while ((left = nanos - System.nanoTime()) > 0) {
            TimeUnit.NANOSECONDS.sleep(Math.min(left, 100_000_000));
        }
    }
}
