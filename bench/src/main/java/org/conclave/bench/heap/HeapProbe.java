package org.conclave.bench.heap;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Live heap of a target JVM, through {@code jcmd}: {@code GC.class_histogram} runs a full GC and counts what
 * survives (its "Total" line), so the figure is live memory, not how far G1 happened to grow the heap. Each
 * histogram is kept in {@code dir}; {@link #dump} writes a heap dump for {@link HeapOwners}.
 */
public final class HeapProbe {
    static final long JCMD_TIMEOUT_SECONDS = 120;

    private final Path jcmd;
    private final Path dir;
    private final int dumpStep;

    /**
     * @param java the JDK's java launcher (jcmd is next to it)
     * @param dir where histograms and dumps go
     * @param dumpStep 1-based step after which the heap is dumped (with an idle dump before the first step), 0: never
     */
    public HeapProbe(String java, Path dir, int dumpStep) {
        Path sibling = Path.of(java).toAbsolutePath().resolveSibling("jcmd");
        this.jcmd = Files.isExecutable(sibling) ? sibling : Path.of("jcmd");
        this.dir = dir.toAbsolutePath();
        this.dumpStep = dumpStep;
    }

    /** Whether to dump the heap after the 0-based step {@code i} (and idle). */
    public boolean dumpsAfter(int i) {
        return dumpStep == i + 1;
    }

    public boolean dumps() {
        return dumpStep > 0;
    }

    /** Bytes of live objects after a full GC of {@code pid}, or -1 if jcmd failed; the histogram goes to dir/name. */
    public long liveBytes(long pid, String name) {
        try {
            String out = jcmd(pid, "GC.class_histogram");
            Files.createDirectories(dir);
            Files.writeString(dir.resolve(name + ".histogram.txt"), out, StandardCharsets.UTF_8);
            return histogramTotal(out);
        } catch (IOException e) {
            return -1;
        }
    }

    /** Writes a dump of the live objects of {@code pid} to dir/name.hprof. */
    public Path dump(long pid, String name) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve(name + ".hprof");
        Files.deleteIfExists(file); // jcmd refuses to overwrite
        jcmd(pid, "GC.heap_dump", file.toString());
        if (!Files.exists(file)) throw new IOException("jcmd wrote no heap dump to " + file);
        return file;
    }

    public Path dir() {
        return dir;
    }

    /** The byte count of a class histogram's "Total" line, or -1. */
    static long histogramTotal(String histogram) {
        for (String line : histogram.split("\n")) {
            String t = line.trim();
            if (t.startsWith("Total")) {
                String[] f = t.split("\\s+");
                return Long.parseLong(f[f.length - 1]);
            }
        }
        return -1;
    }

    private String jcmd(long pid, String... command) throws IOException {
        List<String> cmd = new java.util.ArrayList<>(List.of(jcmd.toString(), Long.toString(pid)));
        cmd.addAll(List.of(command));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(JCMD_TIMEOUT_SECONDS, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException(String.join(" ", cmd) + " failed: " + out);
            }
            return out;
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
