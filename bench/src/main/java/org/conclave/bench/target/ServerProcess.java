package org.conclave.bench.target;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A target's server process, optionally inside a network namespace ({@code ip netns exec}, which execs, so the pid is
 * the server's own). Output goes to a log file; a server that prints the ready line hands over its port and pid.
 */
public final class ServerProcess implements AutoCloseable {
    static final long STOP_TIMEOUT_SECONDS = 10;
    private static final Pattern READY = Pattern.compile("BENCH-READY port=(\\d+) pid=(\\d+)");

    private final Process process;
    private final CompletableFuture<int[]> ready = new CompletableFuture<>();
    private final Path log;
    private volatile String readyLine = "";

    private ServerProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** Starts {@code command}, prefixed with {@code ip netns exec NS} when {@code netns} is not null. */
    public static ServerProcess start(List<String> command, String netns, Path log) throws IOException {
        List<String> full = new ArrayList<>();
        if (netns != null) full.addAll(List.of("ip", "netns", "exec", netns));
        full.addAll(command);
        Files.createDirectories(log.toAbsolutePath().getParent());
        Process p = new ProcessBuilder(full).redirectErrorStream(true).start();
        ServerProcess sp = new ServerProcess(p, log);
        // A generator stopped by a signal or a timeout must not leave servers running.
        Runtime.getRuntime().addShutdownHook(new Thread(p::destroy, "bench-server-stop"));
        Thread pump = new Thread(() -> sp.pump(String.join(" ", full)), "bench-server-log");
        pump.setDaemon(true);
        pump.start();
        return sp;
    }

    private void pump(String command) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
             PrintWriter out = new PrintWriter(Files.newBufferedWriter(log, StandardCharsets.UTF_8), true)) {
            out.println("$ " + command);
            String line;
            while ((line = in.readLine()) != null) {
                out.println(line);
                Matcher m = READY.matcher(line);
                if (m.find()) {
                    if (!ready.isDone()) readyLine = line; // set before complete: awaitReady sees it
                    ready.complete(new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))});
                }
            }
        } catch (IOException e) {
            // process ended
        } finally {
            ready.completeExceptionally(new IOException("server exited before it was ready; see " + log));
        }
    }

    /** Waits for the ready line; returns {port, pid}. */
    public int[] awaitReady(long timeoutMillis) throws Exception {
        try {
            return ready.get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IOException("server not ready after " + timeoutMillis + " ms; see " + log);
        }
    }

    /** The ready line the server printed (empty before): what it says of itself beyond port and pid. */
    public String readyLine() {
        return readyLine;
    }

    public long pid() {
        return process.pid();
    }

    public boolean alive() {
        return process.isAlive();
    }

    public Path log() {
        return log;
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
