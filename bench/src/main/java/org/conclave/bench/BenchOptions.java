package org.conclave.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.conclave.bench.load.MediaProfile;
import org.conclave.bench.scenario.Scenarios;
import org.conclave.sfu.srtp.SrtpProfile;

/**
 * Command line of {@link BenchMain}. Every option has a default that runs the whole benchmark on loopback.
 *
 * @param localAddress the generator's address (127.0.0.1, or its end of the veth pair)
 * @param serverAddress where targets bind (127.0.0.1, or the namespace's end)
 * @param netns namespace the targets run in, or null
 * @param baseSfuJar the sfu jar target {@code ours-base} swaps into its SFU JVM's classpath, or null
 * @param baseLabel what that jar is (the commit it was built from), for the report
 */
public record BenchOptions(List<String> targets, List<String> scenarios, boolean quick, String localAddress,
        String serverAddress, String netns, String java, String classpath, List<String> sfuJvmOptions,
        Path workDir, Path results, Path report, String command, MediaProfile media, SrtpProfile srtp,
        int receiveThreads, int pacerThreads, String janusBinary, Path janusTemplates, int maxSteps, Path profileDir,
        Path asyncProfiler, String sfuVersion, boolean oursE2ee, int heapDumpStep, boolean throughLoss,
        Path baseSfuJar, String baseLabel) {

    /** The targets run when --targets is not given. */
    public static final List<String> TARGETS = List.of("ours", "ours2", "janus", "limit");
    /** Ours (1 packet thread) with the baseline's sfu jar: needs --base-sfu-jar. */
    public static final String BASE = "ours-base";
    /** Ours (1 packet thread) with sfu.udp_send: gso (batched sends, UDP GSO). */
    public static final String GSO = "ours-gso";
    /** The baseline's sfu jar with sfu.udp_send: gso (a GSO change against the GSO before it): needs --base-sfu-jar. */
    public static final String BASE_GSO = "ours-base-gso";
    static final List<String> KNOWN_TARGETS = List.of("ours", BASE, GSO, BASE_GSO, "ours2", "janus", "limit");

    static final String USAGE = """
            org.conclave.bench.BenchMain [options]
              --targets ours,ours2,janus,limit which servers (default: all; ours2 is ours with 2 packet threads;
                                               ours-base is ours with --base-sfu-jar, default after ours when given;
                                               ours-gso is ours with sfu.udp_send: gso, only when named;
                                               ours-base-gso is ours-base with gso, only when named)
              --scenarios meeting,webinar,rooms,audio   (default: all four)
              --quick                          two small steps per scenario, short windows
              --local-address IP               generator address (default 127.0.0.1)
              --server-address IP              target address (default 127.0.0.1; Janus needs a non-loopback one)
              --netns NAME                     run targets with `ip netns exec NAME`
              --sfu-jvm-options "..."          JVM options of our SFU's and the limit's JVMs (default -Xmx1g)
              --thumb-kbps N --full-kbps N     simulcast layer bitrates (default 150 / 1500)
              --srtp gcm|cm                    SRTP profile every client insists on (default gcm)
              --rx-threads N --pacers N        generator threads (default 2 / 2)
              --work-dir DIR                   logs and Janus config (default target/bench)
              --results FILE                   JSON results (default WORK/results.json)
              --report FILE                    markdown file whose generated section is replaced (optional)
              --command "..."                  the command line to print in the report
              --janus PATH                     Janus binary (default janus)
              --janus-templates DIR            Janus configuration templates (default bench/janus)
              --max-steps N                    stop every ramp after N steps (profiling at a fixed load)
              --profile DIR                    our servers record JFR (and async-profiler CPU) there; summary after
              --async-profiler PATH            libasyncProfiler.so for --profile (kernel stacks included)
              --sfu-version "..."              which build of our SFU ran, for the report
              --ours-e2ee on|off               our SFU enforces E2EE (SFrame) per conference (default on)
              --heap-dump-step N               dump our servers' heap idle and after step N (1 = first): live heap
                                               per participant by owner, in the report and WORK/heap/
              --through-loss                   do not end a ramp at loss: every step up to --max-steps is measured
                                               (memory on a busy machine; the knee is still the last step before loss)
              --base-sfu-jar PATH              the sfu jar target ours-base runs (bench/run.sh --base-commit REV)
              --base-label "..."               what that jar is, for the report (e.g. the commit; default its path)
            """;

    public static BenchOptions parse(String[] args) {
        List<String> targets = null;
        List<String> scenarios = Scenarios.NAMES;
        boolean quick = false;
        String local = "127.0.0.1";
        String server = "127.0.0.1";
        String netns = null;
        List<String> jvm = List.of("-Xmx1g");
        Path work = Path.of("target", "bench");
        Path results = null;
        Path report = null;
        String command = null;
        int thumb = MediaProfile.DEFAULT.thumbKbps();
        int full = MediaProfile.DEFAULT.fullKbps();
        SrtpProfile srtp = SrtpProfile.AEAD_AES_128_GCM;
        int rx = 2;
        int pacers = 2;
        String janus = "janus";
        Path janusTemplates = Path.of("bench", "janus");
        int maxSteps = Integer.MAX_VALUE;
        Path profile = null;
        Path asyncProfiler = null;
        String sfuVersion = "not recorded";
        boolean oursE2ee = true;
        int heapDumpStep = 0;
        boolean throughLoss = false;
        Path baseJar = null;
        String baseLabel = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--quick")) {
                quick = true;
                continue;
            }
            if (a.equals("--through-loss")) {
                throughLoss = true;
                continue;
            }
            if (a.equals("--help")) throw new IllegalArgumentException(USAGE);
            if (i + 1 >= args.length) throw new IllegalArgumentException("missing value for " + a + "\n" + USAGE);
            String v = args[++i];
            switch (a) {
                case "--targets" -> targets = list(v, KNOWN_TARGETS);
                case "--scenarios" -> scenarios = list(v, Scenarios.NAMES);
                case "--local-address" -> local = v;
                case "--server-address" -> server = v;
                case "--netns" -> netns = v.isBlank() ? null : v;
                case "--sfu-jvm-options" -> jvm = v.isBlank() ? List.of() : Arrays.asList(v.trim().split("\\s+"));
                case "--thumb-kbps" -> thumb = Integer.parseInt(v);
                case "--full-kbps" -> full = Integer.parseInt(v);
                case "--srtp" -> srtp = switch (v) {
                    case "gcm" -> SrtpProfile.AEAD_AES_128_GCM;
                    case "cm" -> SrtpProfile.AES_CM_128_HMAC_SHA1_80;
                    default -> throw new IllegalArgumentException("--srtp gcm|cm");
                };
                case "--rx-threads" -> rx = Integer.parseInt(v);
                case "--pacers" -> pacers = Integer.parseInt(v);
                case "--work-dir" -> work = Path.of(v);
                case "--results" -> results = Path.of(v);
                case "--report" -> report = Path.of(v);
                case "--command" -> command = v;
                case "--janus" -> janus = v;
                case "--janus-templates" -> janusTemplates = Path.of(v);
                case "--max-steps" -> maxSteps = Integer.parseInt(v);
                case "--profile" -> profile = Path.of(v);
                case "--async-profiler" -> asyncProfiler = v.isBlank() ? null : Path.of(v);
                case "--sfu-version" -> sfuVersion = v;
                case "--ours-e2ee" -> oursE2ee = v.equals("on");
                case "--heap-dump-step" -> heapDumpStep = Integer.parseInt(v);
                case "--base-sfu-jar" -> baseJar = v.isBlank() ? null : Path.of(v);
                case "--base-label" -> baseLabel = v;
                default -> throw new IllegalArgumentException("unknown option " + a + "\n" + USAGE);
            }
        }
        targets = withBase(targets, baseJar);
        String java = ProcessHandle.current().info().command().orElse("java");
        String classpath = System.getProperty("java.class.path");
        return new BenchOptions(targets, scenarios, quick, local, server, netns, java, classpath, jvm, work,
                results != null ? results : work.resolve("results.json"), report,
                command != null ? command : "java org.conclave.bench.BenchMain " + String.join(" ", args),
                MediaProfile.DEFAULT.withBitrates(thumb, full), srtp, rx, pacers, janus, janusTemplates, maxSteps,
                profile, asyncProfiler, sfuVersion, oursE2ee, heapDumpStep, throughLoss, baseJar,
                baseJar == null ? null : baseLabel != null ? baseLabel : baseJar.toString());
    }

    /**
     * The targets to run: those given, or the default ones with ours-base right after ours when a baseline jar is
     * given. Ours-base (or ours-base-gso) without a baseline jar is an error, not a silent second run of ours.
     */
    static List<String> withBase(List<String> given, Path baseJar) {
        if (given != null) {
            for (String base : List.of(BASE, BASE_GSO)) {
                if (given.contains(base) && baseJar == null) {
                    throw new IllegalArgumentException(
                            "target " + base + " needs --base-sfu-jar (bench/run.sh --base-commit REV)");
                }
            }
            return given;
        }
        if (baseJar == null) return TARGETS;
        List<String> out = new ArrayList<>(TARGETS);
        out.add(out.indexOf("ours") + 1, BASE);
        return List.copyOf(out);
    }

    /** The report's name of a target: ours-base with what it ran ("ours-base (2de3104)"). */
    public String label(String target) {
        return target.equals(BASE) && baseLabel != null ? target + " (" + baseLabel + ")" : target;
    }

    private static List<String> list(String v, List<String> known) {
        List<String> out = new ArrayList<>();
        for (String s : v.split(",")) {
            String t = s.trim();
            if (t.isEmpty()) continue;
            if (!known.contains(t)) throw new IllegalArgumentException("unknown " + t + "; known: " + known);
            out.add(t);
        }
        return out;
    }
}
