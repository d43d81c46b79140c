package org.conclave.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.conclave.bench.run.ScenarioResult;
import org.conclave.bench.run.StepResult;

/**
 * Writes the results as markdown: a summary table (knee, CPU per packet, latency at half load, memory per
 * participant), the ratios ours/Janus and ours/limit, and every step. In a report file only the part between
 * {@link #BEGIN} and {@link #END} is replaced; the hand-written text around it stays.
 */
public final class Report {
    public static final String BEGIN = "<!-- bench:results:begin -->";
    public static final String END = "<!-- bench:results:end -->";
    /** A 1-minute load average above this fraction of the cores means other work competed with the run. */
    static final double BUSY_LOAD_PER_CPU = 0.25;

    private Report() {}

    public static String markdown(List<ScenarioResult> results, MachineInfo machine, BenchOptions options,
            double loadBefore, double loadAfter) {
        StringBuilder s = new StringBuilder();
        s.append("## Results\n\n");
        boolean busy = loadBefore > BUSY_LOAD_PER_CPU * machine.cpus();
        if (busy) {
            s.append("**Preliminary:** the machine was busy with other work when this ran (load average ")
                    .append(fmt(loadBefore, 2)).append(" before, ").append(fmt(loadAfter, 2))
                    .append(" after, on ").append(machine.cpus()).append(" CPUs). Rerun on a quiet machine.\n\n");
        }
        s.append("- Command: `").append(options.command()).append("`").append(options.quick() ? " (quick mode)" : "").append('\n');
        s.append("- Date: ").append(machine.date()).append('\n');
        s.append("- Our SFU: ").append(options.sfuVersion()).append('\n');
        if (options.baseSfuJar() != null) {
            s.append("- Baseline ").append(options.label(BenchOptions.BASE))
                    .append(": ours (1 packet thread, same options) with the sfu jar `").append(options.baseSfuJar())
                    .append("` in its SFU JVM\n");
        }
        s.append("- Machine: ").append(machine.cpus()).append(" CPUs (").append(machine.cpuModel()).append("), ")
                .append(machine.memoryMb()).append(" MB, Linux ").append(machine.kernel()).append(", JDK ")
                .append(machine.jdk()).append(", Janus ").append(machine.janus()).append('\n');
        s.append("- Load average (1 min): ").append(fmt(loadBefore, 2)).append(" before, ").append(fmt(loadAfter, 2))
                .append(" after\n");
        s.append("- Media: Opus ").append(options.media().audioMinBytes()).append('-').append(options.media().audioMaxBytes())
                .append(" B x 50/s; thumbnail ").append(options.media().thumbKbps()).append(" kbit/s, full-res ")
                .append(options.media().fullKbps()).append(" kbit/s, ").append(options.media().fps())
                .append(" fps, video payload <= ").append(options.media().maxVideoPayload()).append(" B; SRTP ")
                .append(options.srtp()).append("; network: ")
                .append(options.netns() == null ? "loopback" : "veth pair between two namespaces (" + options.localAddress()
                        + " -> " + options.serverAddress() + ")").append("\n\n");

        s.append("### Summary\n\n");
        s.append("| Scenario | Target | Knee: last step with loss < 0.5% | Out pkt/s | Out Mbit/s | Target CPU | CPU µs/pkt "
                + "| p50 / p99 ms at ~50% load | RSS kB/participant | Live heap kB/participant |\n");
        s.append("|---|---|---|---:|---:|---:|---:|---|---:|---:|\n");
        for (ScenarioResult r : results) {
            int k = r.knee();
            if (r.steps().isEmpty() || k < 0) {
                s.append("| ").append(r.scenario()).append(" | ").append(options.label(r.target())).append(" | ")
                        .append(r.error() != null ? "failed: " + escape(r.error())
                                : r.steps().isEmpty() ? "no step measured" : "loss >= 0.5% at the first step ("
                                + fmt(r.steps().get(0).loss() * 100, 2) + "%)")
                        .append(" | | | | | | | |\n");
                continue;
            }
            StepResult knee = r.steps().get(k);
            StepResult half = r.steps().get(r.halfLoad());
            String bound = r.kneeIsLowerBound() ? ">= " : "";
            String why = r.generatorBound() ? " (generator-bound)" : "";
            s.append("| ").append(r.scenario()).append(" | ").append(options.label(r.target())).append(" | ")
                    .append(bound)
                    .append(knee.label()).append(why).append(" | ").append(bound).append(fmt(knee.outPps(), 0)).append(" | ")
                    .append(bound).append(fmt(knee.outMbps(), 1)).append(" | ").append(fmt(knee.targetCpuPercent(), 0))
                    .append("% | ").append(fmt(knee.cpuMicrosPerPacket(), 2)).append(" | ")
                    .append(fmt(half.p50Micros() / 1000.0, 2)).append(" / ").append(fmt(half.p99Micros() / 1000.0, 2))
                    .append(" (").append(half.label()).append(") | ")
                    .append(r.idleRssKb() < 0 ? "?" : fmt((knee.rssKb() - r.idleRssKb()) / (double) knee.participants(), 0))
                    .append(" | ").append(heapPerParticipant(r, knee)).append(" |\n");
        }
        s.append('\n');
        s.append(ratios(results));
        s.append(BaselineRatio.section(results, options));
        s.append(owners(results, options));
        s.append("### Every step\n\n");
        s.append("| Scenario | Target | Step | Out pkt/s (offered) | Mbit/s | Loss % | Declined pkt/s | Target CPU % "
                + "| µs/pkt | Generator CPU % | p50 / p99 / max ms | RSS MB | Live heap MB | Threads "
                + "| Late ticks / send drops | Socket overflows gen / target | Load |\n");
        s.append("|---|---|---|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|---|---|---:|\n");
        for (ScenarioResult r : results) {
            for (StepResult st : r.steps()) {
                s.append("| ").append(r.scenario()).append(" | ").append(options.label(r.target())).append(" | ")
                        .append(st.label())
                        .append(st.generatorLimited() ? " (generator sent " + fmt(st.sentRatio() * 100, 0) + "%)" : "")
                        .append(" | ").append(fmt(st.outPps(), 0)).append(" (").append(fmt(st.offeredPps(), 0)).append(") | ")
                        .append(fmt(st.outMbps(), 1)).append(" | ").append(fmt(st.loss() * 100, 3)).append(" | ")
                        .append(fmt(st.unexpected() / st.windowSeconds(), 0)).append(" | ")
                        .append(fmt(st.targetCpuPercent(), 0)).append(" | ").append(fmt(st.cpuMicrosPerPacket(), 2))
                        .append(" | ").append(fmt(st.generatorCpuPercent(), 0)).append(" | ")
                        .append(fmt(st.p50Micros() / 1000.0, 2)).append(" / ").append(fmt(st.p99Micros() / 1000.0, 2))
                        .append(" / ").append(fmt(st.maxMicros() / 1000.0, 1)).append(" | ")
                        .append(fmt(st.rssKb() / 1024.0, 0)).append(" | ")
                        .append(st.liveHeapBytes() < 0 ? "–" : fmt(st.liveHeapBytes() / 1048576.0, 1)).append(" | ")
                        .append(st.threads()).append(" | ")
                        .append(st.lateTicks()).append(" / ").append(st.sendDrops()).append(" | ")
                        .append(st.generatorSocketDrops()).append(" / ")
                        .append(st.targetSocketDrops() < 0 ? "(same ns)" : Long.toString(st.targetSocketDrops())).append(" | ")
                        .append(fmt(st.loadAverage(), 1)).append(" |\n");
            }
            if (r.error() != null) {
                s.append("| ").append(r.scenario()).append(" | ").append(options.label(r.target()))
                        .append(" | stopped: ")
                        .append(escape(r.error())).append(" | | | | | | | | | | | | | | |\n");
            }
        }
        s.append('\n');
        return s.toString();
    }

    /** (live heap at the knee - live heap idle) / participants, in kB; "–" when not measured (not a JVM). */
    static String heapPerParticipant(ScenarioResult r, StepResult knee) {
        if (r.idleHeapBytes() < 0 || knee.liveHeapBytes() < 0) return "–";
        return fmt((knee.liveHeapBytes() - r.idleHeapBytes()) / 1024.0 / knee.participants(), 0);
    }

    private static String owners(List<ScenarioResult> results, BenchOptions options) {
        StringBuilder s = new StringBuilder();
        for (ScenarioResult r : results) {
            if (r.heapOwners() == null) continue;
            s.append("#### ").append(r.scenario()).append(" / ").append(options.label(r.target())).append("\n\n")
                    .append(r.heapOwners()).append('\n');
        }
        if (s.length() == 0) return "";
        return "### Live heap by owner\n\nEvery live object after a full GC charged (shallow size) to the nearest "
                + "object of ours above it (`org.conclave.*`; one referrer per object, the first in the dump), the idle "
                + "server's dump subtracted, divided by the participants (`--heap-dump-step`, "
                + "`org.conclave.bench.heap.HeapOwners`).\n\n" + s;
    }

    private static String ratios(List<ScenarioResult> results) {
        Map<String, Map<String, ScenarioResult>> byScenario = new LinkedHashMap<>();
        for (ScenarioResult r : results) byScenario.computeIfAbsent(r.scenario(), k -> new LinkedHashMap<>()).put(r.target(), r);
        List<String> rows = new ArrayList<>();
        for (Map.Entry<String, Map<String, ScenarioResult>> e : byScenario.entrySet()) {
            ScenarioResult ours = e.getValue().get("ours");
            if (ours == null || ours.knee() < 0) continue;
            ScenarioResult two = e.getValue().get("ours2");
            String threads = two == null ? "not run" : two.knee() < 0 ? "ours2 lost >= 0.5% at its first step"
                    : ratio(two, ours);
            rows.add("| " + e.getKey() + " | " + ratio(ours, e.getValue().get("janus")) + " | "
                    + ratio(ours, e.getValue().get("limit")) + " | " + threads + " |");
        }
        if (rows.isEmpty()) return "";
        return "### Ratios\n\nCapacity: ours' out pkt/s at its knee over the other's (above 1: ours carries more). "
                + "CPU: ours' CPU µs per forwarded packet at its knee over the other's (below 1: ours is cheaper). "
                + "`>=`/`<=` where a knee was not reached within the scenario's steps.\n\n"
                + "`ours2` is ours with 2 packet threads (`ours` has 1).\n\n"
                + "| Scenario | ours / Janus: capacity, CPU per packet | ours / limit: capacity, CPU per packet "
                + "| ours2 / ours: capacity, CPU per packet |\n"
                + "|---|---|---|---|\n" + String.join("\n", rows) + "\n\n";
    }

    private static String ratio(ScenarioResult ours, ScenarioResult other) {
        if (other == null) return "not run";
        if (other.knee() < 0) return other.error() != null ? "other failed" : "other lost >= 0.5% at its first step";
        StepResult a = ours.steps().get(ours.knee());
        StepResult b = other.steps().get(other.knee());
        String qualifier = ours.kneeIsLowerBound() && !other.kneeIsLowerBound() ? ">= "
                : !ours.kneeIsLowerBound() && other.kneeIsLowerBound() ? "<= "
                : ours.kneeIsLowerBound() ? "~ (both unbounded) " : "";
        return qualifier + fmt(a.outPps() / b.outPps(), 2) + ", " + fmt(a.cpuMicrosPerPacket() / b.cpuMicrosPerPacket(), 2);
    }

    /** Replaces the generated section of {@code file} (appends one if it has none). */
    public static void writeInto(Path file, String generated) throws IOException {
        String body = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        String section = BEGIN + "\n" + generated + END;
        int b = body.indexOf(BEGIN);
        int e = body.indexOf(END);
        String out = b >= 0 && e > b ? body.substring(0, b) + section + body.substring(e + END.length())
                : body + (body.isEmpty() || body.endsWith("\n") ? "" : "\n") + section + "\n";
        Files.writeString(file, out, StandardCharsets.UTF_8);
    }

    static String fmt(double v, int decimals) {
        if (Double.isNaN(v) || Double.isInfinite(v)) return "?";
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }

    private static String escape(String s) {
        return s.replace("|", "\\|").replace("\n", " ");
    }
}
