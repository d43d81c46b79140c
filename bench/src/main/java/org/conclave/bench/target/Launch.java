package org.conclave.bench.target;

import java.io.File;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

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

    /**
     * The same launch with {@code sfuJar} in place of the sfu module on the classpath (the sfu jar, or its classes
     * directory when run from the reactor), so the server JVM runs another build of the SFU with this benchmark's
     * servers. The generator's JVM keeps its own.
     */
    public Launch withSfuJar(Path sfuJar) {
        return new Launch(serverAddress, netns, java, swapSfu(classpath, sfuJar), jvmOptions, workDir, profileDir,
                asyncProfiler);
    }

    /** {@code classpath} with its sfu module entry replaced by {@code sfuJar}; fails when it has none. */
    static String swapSfu(String classpath, Path sfuJar) {
        List<String> out = new ArrayList<>();
        boolean swapped = false;
        for (String entry : classpath.split(File.pathSeparator)) {
            boolean sfu = SFU_ENTRY.matcher(entry).find();
            out.add(sfu ? sfuJar.toAbsolutePath().toString() : entry);
            swapped |= sfu;
        }
        if (!swapped) throw new IllegalArgumentException("no sfu module on the classpath to replace: " + classpath);
        return String.join(File.pathSeparator, out);
    }

    /** The sfu module's jar (whatever its version) or its reactor classes directory. */
    private static final Pattern SFU_ENTRY = Pattern.compile("(^|/)(sfu-[0-9][^/]*\\.jar|sfu/target/classes/?)$");

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
