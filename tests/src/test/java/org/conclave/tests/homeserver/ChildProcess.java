package org.conclave.tests.homeserver;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** {@link AppserviceChild} in its own JVM (the test's class path); its output goes to a log file. */
public final class ChildProcess implements AutoCloseable {
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(15);

    private final Process process;
    private final CompletableFuture<String> frozen = new CompletableFuture<>();
    private final Path log;
    /** Everything the child printed so far (also the monitor line waiters wait on). */
    private final List<String> lines = new ArrayList<>();
    private volatile boolean pumped;

    private ChildProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
        Thread reader = new Thread(this::pump, "child-output-" + process.pid());
        reader.setDaemon(true);
        reader.start();
    }

    static ChildProcess start(Path config, Path record, Path log, String... extra) throws IOException {
        List<String> args = new ArrayList<>(List.of("--record", record.toString()));
        args.addAll(List.of(extra));
        return launch(config, log, args);
    }

    /** Conclave as Main runs it (the call handler), with {@code config}. */
    public static ChildProcess product(Path config, Path log) throws IOException {
        return launch(config, log, List.of("--product"), QUICK_START, Map.of());
    }

    /**
     * The same with these JVM options (null: the quick-start ones; a soak wants the optimising compiler) and these
     * environment variables (configuration overrides, {@code CONCLAVE_<SECTION>_<KEY>}).
     */
    public static ChildProcess product(Path config, Path log, List<String> jvmOptions, Map<String, String> env)
            throws IOException {
        return launch(config, log, List.of("--product"), jvmOptions == null ? QUICK_START : jvmOptions, env);
    }

    /** Short-lived children start faster with the client compiler only. */
    private static final List<String> QUICK_START = List.of("-XX:TieredStopAtLevel=1", "-Xshare:auto");

    private static ChildProcess launch(Path config, Path log, List<String> args) throws IOException {
        return launch(config, log, args, QUICK_START, Map.of());
    }

    private static ChildProcess launch(Path config, Path log, List<String> args, List<String> jvmOptions,
            Map<String, String> env) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path")));
        command.addAll(jvmOptions);
        command.addAll(List.of(AppserviceChild.class.getName(), "--config", config.toString()));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(env);
        Process process = builder.start();
        return new ChildProcess(process, log);
    }

    /** Waits for the freeze point; returns what the child printed after the marker. */
    String awaitFrozen(Duration timeout) throws Exception {
        try {
            return frozen.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("child did not reach its freeze point within " + timeout + "; see " + log);
        }
    }

    /** kill -9 (SIGKILL): no shutdown hook, no flush; returns the exit status (137 on Linux). */
    public int kill9() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("child did not die after SIGKILL");
        }
        return process.exitValue();
    }

    boolean alive() {
        return process.isAlive();
    }

    public long pid() {
        return process.pid();
    }

    /** The first line the child printed that starts with {@code prefix}, waiting up to {@code timeout}. */
    public String awaitLine(String prefix, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lines) {
            while (true) {
                for (String line : lines) {
                    if (line.startsWith(prefix)) return line;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0 || (!process.isAlive() && pumped)) {
                    throw new AssertionError("the child printed no line starting with \"" + prefix + "\"; see " + log);
                }
                lines.wait(Math.max(1, Math.min(200, left / 1_000_000)));
            }
        }
    }

    /** SIGTERM, as systemd stops a service; returns the exit status once the process is gone. */
    public int terminate(Duration timeout) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("child still running " + timeout + " after SIGTERM; see " + log);
        }
        return process.exitValue();
    }

    /** SIGTERM, then SIGKILL if it does not stop. */
    @Override
    public void close() throws InterruptedException {
        if (!process.isAlive()) return;
        process.destroy();
        if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) process.destroyForcibly().waitFor();
    }

    private void pump() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8));
                PrintWriter out = new PrintWriter(Files.newBufferedWriter(log, StandardCharsets.UTF_8,
                        StandardOpenOption.CREATE, StandardOpenOption.APPEND))) {
            for (String line; (line = in.readLine()) != null; ) {
                out.println(line);
                out.flush();
                synchronized (lines) {
                    lines.add(line);
                    lines.notifyAll();
                }
                if (line.startsWith(AppserviceChild.FROZEN)) {
                    frozen.complete(line.substring(AppserviceChild.FROZEN.length()));
                }
            }
        } catch (IOException e) {
            frozen.completeExceptionally(e);
        }
        pumped = true;
        synchronized (lines) {
            lines.notifyAll();
        }
        frozen.completeExceptionally(new IllegalStateException("child exited before its freeze point; see " + log));
    }
}
