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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** {@link AppserviceChild} in its own JVM (the test's class path); its output goes to a log file. */
final class ChildProcess implements AutoCloseable {
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(15);

    private final Process process;
    private final CompletableFuture<String> frozen = new CompletableFuture<>();
    private final Path log;

    private ChildProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
        Thread reader = new Thread(this::pump, "child-output-" + process.pid());
        reader.setDaemon(true);
        reader.start();
    }

    static ChildProcess start(Path config, Path record, Path log, String... extra) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                "-XX:TieredStopAtLevel=1", "-Xshare:auto",
                AppserviceChild.class.getName(), "--config", config.toString(), "--record", record.toString()));
        command.addAll(List.of(extra));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
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
    int kill9() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("child did not die after SIGKILL");
        }
        return process.exitValue();
    }

    boolean alive() {
        return process.isAlive();
    }

    /** SIGTERM, then SIGKILL if it does not stop. */
    @Override
    public void close() throws InterruptedException {
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
                if (line.startsWith(AppserviceChild.FROZEN)) {
                    frozen.complete(line.substring(AppserviceChild.FROZEN.length()));
                }
            }
        } catch (IOException e) {
            frozen.completeExceptionally(e);
        }
        frozen.completeExceptionally(new IllegalStateException("child exited before its freeze point; see " + log));
    }
}
