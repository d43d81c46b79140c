package org.conclave.tests.harness;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An external peer (a Node or Python script) running as a child process: its stderr goes line by line to the test
 * log, its stdout is collected, and its last stdout line is its JSON result ({@link PeerReport}). Closing kills it
 * and every process it started (a browser and its helpers).
 */
public final class PeerProcess implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PeerProcess.class);

    /** Time a peer gets to exit after SIGTERM (Playwright closes its browser) before it is killed. */
    private static final Duration TERMINATE_GRACE = Duration.ofSeconds(3);
    /** Time the output readers get to drain after the process exited. */
    private static final Duration DRAIN = Duration.ofSeconds(5);
    private static final int STDERR_TAIL_LINES = 60;
    private static final int STDOUT_MAX_LINES = 10_000;

    private final String name;
    private final List<String> command;
    private final Process process;
    private final List<String> stdout = new ArrayList<>();
    private final Deque<String> stderrTail = new ArrayDeque<>();
    /** Set (under the stdout monitor) when stdout reached its end. */
    private boolean stdoutClosed;
    private final Thread stdoutReader;
    private final Thread stderrReader;

    private PeerProcess(String name, List<String> command, Process process) {
        this.name = name;
        this.command = List.copyOf(command);
        this.process = process;
        this.stdoutReader = reader("out", process.getInputStream(), this::onStdout, () -> {
            synchronized (stdout) {
                stdoutClosed = true;
                stdout.notifyAll();
            }
        });
        this.stderrReader = reader("err", process.getErrorStream(), this::onStderr, () -> {});
    }

    /** Starts {@code command} in {@code workingDir}; {@code name} prefixes its log lines. */
    public static PeerProcess start(String name, List<String> command, Path workingDir) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(workingDir.toFile());
        builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        log.info("[{}] starting: {}", name, String.join(" ", command));
        return new PeerProcess(name, command, builder.start());
    }

    public String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** The stdout lines so far. */
    public List<String> stdout() {
        synchronized (stdout) {
            return List.copyOf(stdout);
        }
    }

    /** Waits up to {@code timeout} for a stdout line that matches; empty if none came (or the process ended). */
    public Optional<String> awaitStdoutLine(Predicate<String> match, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        int checked = 0;
        synchronized (stdout) {
            while (true) {
                for (; checked < stdout.size(); checked++) {
                    if (match.test(stdout.get(checked))) return Optional.of(stdout.get(checked));
                }
                long left = deadline - System.nanoTime();
                if (left <= 0 || stdoutClosed) return Optional.empty();
                stdout.wait(Math.max(1, left / 1_000_000));
            }
        }
    }

    /** The last stderr lines so far (for failure messages). */
    public String stderrTail() {
        synchronized (stderrTail) {
            return String.join("\n", stderrTail);
        }
    }

    /**
     * Waits up to {@code timeout} for the process to exit and returns its exit code; a process still running then
     * is killed and {@link PeerException} thrown.
     */
    public int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            close();
            throw new PeerException(describe("still running after " + timeout + "; killed"));
        }
        stdoutReader.join(DRAIN.toMillis());
        stderrReader.join(DRAIN.toMillis());
        return process.exitValue();
    }

    /**
     * Waits for the exit and parses the last stdout line as the peer's report, whatever the exit code (peers print
     * partial results when they fail). Throws {@link PeerException} when there is no parsable report.
     */
    public PeerReport awaitReport(Duration timeout) throws InterruptedException {
        int exit = awaitExit(timeout);
        String last = lastStdoutLine();
        if (last == null) throw new PeerException(describe("exited " + exit + " without a result line"));
        try {
            return Stats.parse(last).withExitCode(exit);
        } catch (IllegalArgumentException e) {
            throw new PeerException(describe("exited " + exit + ", last stdout line is not a report: " + e.getMessage()));
        }
    }

    /** Like {@link #awaitReport} but also requires exit code 0 and no error in the report. */
    public PeerReport awaitSuccess(Duration timeout) throws InterruptedException {
        PeerReport report = awaitReport(timeout);
        if (report.exitCode() != 0 || report.error() != null) {
            throw new PeerException(describe("exited " + report.exitCode() + ", error: " + report.error()
                    + "\nreport: " + Stats.describe(report)));
        }
        return report;
    }

    /** Terminates the peer and all its descendants: SIGTERM first, SIGKILL after a grace period. */
    @Override
    public void close() {
        // Snapshot first: once the parent dies its children are re-parented and no longer found from it.
        List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
        tree.add(0, process.toHandle());
        tree.forEach(ProcessHandle::destroy);
        try {
            process.waitFor(TERMINATE_GRACE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // Everyone had the grace period the parent had; whoever is still alive gets SIGKILL.
        tree.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }

    private String lastStdoutLine() {
        synchronized (stdout) {
            for (int i = stdout.size() - 1; i >= 0; i--) {
                if (!stdout.get(i).isBlank()) return stdout.get(i).strip();
            }
            return null;
        }
    }

    private String describe(String what) {
        return "peer " + name + " (" + String.join(" ", command) + ") " + what + "\n--- stderr tail ---\n" + stderrTail();
    }

    private void onStdout(String line) {
        synchronized (stdout) {
            if (stdout.size() < STDOUT_MAX_LINES) stdout.add(line);
            stdout.notifyAll();
        }
        log.debug("[{}] stdout: {}", name, line);
    }

    private void onStderr(String line) {
        synchronized (stderrTail) {
            if (stderrTail.size() == STDERR_TAIL_LINES) stderrTail.removeFirst();
            stderrTail.addLast(line);
        }
        log.info("[{}] {}", name, line);
    }

    private Thread reader(String stream, InputStream in, Consumer<String> sink, Runnable atEnd) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) sink.accept(line);
            } catch (IOException e) {
                log.debug("[{}] {} closed: {}", name, stream, e.toString());
            } finally {
                atEnd.run();
            }
        }, "peer-" + name + "-" + stream);
        t.setDaemon(true);
        t.start();
        return t;
    }
}
