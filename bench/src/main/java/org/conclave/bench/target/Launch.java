package org.conclave.bench.target;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where and how targets run.
 *
 * @param serverAddress the address servers bind and advertise (127.0.0.1, or the namespace's veth address)
 * @param netns network namespace for server processes, or null to run them here
 * @param java the java binary for our servers
 * @param classpath their classpath (the tests module's runtime classpath)
 * @param jvmOptions options for our servers' JVMs (heap, JFR)
 * @param workDir logs, Janus configuration
 * @param profileDir when not null, our servers' JVMs record a JFR file there (and a CPU profile with async-profiler)
 * @param asyncProfiler libasyncProfiler.so, or null to record JFR only
 */
public record Launch(InetAddress serverAddress, String netns, String java, String classpath, List<String> jvmOptions,
        Path workDir, Path profileDir, Path asyncProfiler) {
    public Launch {
        jvmOptions = List.copyOf(jvmOptions);
    }

    /** Sampling period of the CPU profile. */
    static final String PROFILE_INTERVAL = "1ms";
    public static final String PROFILE_INTERVAL_TEXT = "a sample per " + PROFILE_INTERVAL + " of CPU";

    /** The command line of a Java server main of the benchmark; {@code tag} names its profile files. */
    List<String> javaCommand(String mainClass, List<String> args, String tag) {
        List<String> c = new ArrayList<>();
        c.add(java);
        c.addAll(jvmOptions);
        if (profileDir != null) {
            c.add("-XX:StartFlightRecording=filename=" + profileDir.resolve(tag + ".jfr").toAbsolutePath()
                    + ",settings=profile,dumponexit=true");
            if (asyncProfiler != null) {
                c.add("-agentpath:" + asyncProfiler.toAbsolutePath() + "=start,event=cpu,interval=" + PROFILE_INTERVAL
                        + ",threads,collapsed,file=" + profileDir.resolve(tag + "-cpu.collapsed").toAbsolutePath());
            }
        }
        c.addAll(List.of("-cp", classpath, mainClass));
        c.addAll(args);
        return c;
    }
}
