package org.conclave.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.net.InetAddress;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.conclave.bench.heap.HeapProbe;
import org.conclave.bench.load.Generator;
import org.conclave.bench.run.Runner;
import org.conclave.bench.run.ScenarioResult;
import org.conclave.bench.scenario.Scenario;
import org.conclave.bench.scenario.Scenarios;
import org.conclave.bench.target.JanusTarget;
import org.conclave.bench.target.Launch;
import org.conclave.bench.target.LimitTarget;
import org.conclave.bench.target.OursTarget;
import org.conclave.bench.target.Target;
import org.conclave.sfu.dtls.DtlsSettings;

/**
 * Runs the benchmark of issue 7: every scenario against every target, scenario by scenario so the targets of one
 * scenario run back to back under the same conditions; writes JSON results and the markdown tables.
 */
public final class BenchMain {
    private BenchMain() {}

    public static void main(String[] args) throws Exception {
        BenchOptions options;
        try {
            options = BenchOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        Files.createDirectories(options.workDir());
        double loadBefore = MachineInfo.loadAverage();
        MachineInfo machine = MachineInfo.collect(options.targets().contains("janus")
                ? JanusTarget.version(options.janusBinary()) : "not run");
        List<ScenarioResult> results = run(options, System.out);
        double loadAfter = MachineInfo.loadAverage();
        String md = Report.markdown(results, machine, options, loadBefore, loadAfter);
        Files.writeString(options.workDir().resolve("results.md"), md);
        if (options.report() != null) Report.writeInto(options.report(), md);
        System.out.println();
        System.out.println(md);
        if (options.profileDir() != null) System.out.println(profiles(options));
    }

    /** Runs every selected scenario against every selected target; results are also written as they come. */
    public static List<ScenarioResult> run(BenchOptions options, java.io.PrintStream log) throws Exception {
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        Runner runner = new Runner(options.quick() ? Runner.Settings.QUICK : Runner.Settings.FULL, log,
                options.maxSteps(), new HeapProbe(options.java(), options.workDir().resolve("heap"), options.heapDumpStep()),
                !options.throughLoss());
        if (options.profileDir() != null) Files.createDirectories(options.profileDir());
        Launch launch = new Launch(InetAddress.getByName(options.serverAddress()), options.netns(), options.java(),
                options.classpath(), options.sfuJvmOptions(), options.workDir().toAbsolutePath(),
                options.profileDir(), options.asyncProfiler());
        DtlsSettings dtls = DtlsSettings.DEFAULT.withSrtpProfiles(options.srtp());
        List<ScenarioResult> results = new ArrayList<>();
        for (String name : options.scenarios()) {
            Scenario scenario = Scenarios.byName(name, options.quick());
            for (String targetName : options.targets()) {
                try (Generator generator = new Generator(InetAddress.getByName(options.localAddress()), options.media(),
                        dtls, scenario.tracks().size(), options.receiveThreads(), options.pacerThreads());
                     Target target = target(targetName, launch, scenario, options)) {
                    results.add(runner.run(scenario, target, generator));
                }
                json.writeValue(options.results().toFile(), results);
            }
        }
        return results;
    }

    /** Summaries of the profiles our servers wrote (packet thread only), also written to profile.md. */
    static String profiles(BenchOptions options) throws java.io.IOException {
        StringBuilder s = new StringBuilder("## Profiles\n\n");
        String[][] servers = {{"ours", "sfu-packets"}, {BenchOptions.BASE, "sfu-packets"}, {"limit", "limit-packets"}};
        for (String[] server : servers) {
            java.nio.file.Path cpu = options.profileDir().resolve(server[0] + "-cpu.collapsed");
            java.nio.file.Path jfr = options.profileDir().resolve(server[0] + ".jfr");
            if (Files.exists(cpu)) {
                s.append("### ").append(server[0]).append(": CPU (async-profiler, ").append(Launch.PROFILE_INTERVAL_TEXT)
                        .append(")\n\n").append(org.conclave.bench.profile.ProfileSummary.summarize(cpu, server[1])).append('\n');
            }
            if (Files.exists(jfr)) {
                s.append("### ").append(server[0]).append(": allocation (JFR)\n\n")
                        .append(org.conclave.bench.profile.AllocationSummary.summarize(jfr, server[1])).append('\n');
            }
        }
        Files.writeString(options.profileDir().resolve("profile.md"), s);
        return s.toString();
    }

    static Target target(String name, Launch launch, Scenario scenario, BenchOptions options) {
        return switch (name) {
            case "ours", "ours2" -> {
                OursTarget t = new OursTarget(launch, false, options.oursE2ee(), name.equals("ours") ? 1 : 2);
                t.tracks(scenario.tracks());
                yield t;
            }
            case BenchOptions.BASE -> {
                OursTarget t = new OursTarget(launch.withSfuJar(options.baseSfuJar()), false, options.oursE2ee(), 1,
                        BenchOptions.BASE, "at " + options.baseLabel());
                t.tracks(scenario.tracks());
                yield t;
            }
            case BenchOptions.BASE_GSO -> {
                OursTarget t = new OursTarget(launch.withSfuJar(options.baseSfuJar()), false, options.oursE2ee(), 1,
                        BenchOptions.BASE_GSO, "at " + options.baseLabel() + " with sfu.udp_send: gso");
                t.udpSend("gso");
                t.tracks(scenario.tracks());
                yield t;
            }
            case BenchOptions.GSO -> {
                OursTarget t = new OursTarget(launch, false, options.oursE2ee(), 1, BenchOptions.GSO,
                        "with sfu.udp_send: gso");
                t.udpSend("gso");
                t.tracks(scenario.tracks());
                yield t;
            }
            case "limit" -> {
                LimitTarget t = new LimitTarget(launch);
                t.tracks(scenario.tracks());
                yield t;
            }
            case "janus" -> new JanusTarget(launch, options.janusBinary(), options.janusTemplates());
            default -> throw new IllegalArgumentException(name);
        };
    }
}
