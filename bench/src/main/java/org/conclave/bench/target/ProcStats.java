package org.conclave.bench.target;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** CPU time and resident memory of a process, from /proc (Linux). */
public final class ProcStats {
    /** USER_HZ on every mainstream Linux; confirmed at start-up with getconf when available. */
    static final long DEFAULT_TICKS_PER_SECOND = 100;
    private static final long TICKS_PER_SECOND = readTicksPerSecond();

    private ProcStats() {}

    /** utime + stime of all threads, in seconds. */
    public static double cpuSeconds(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            // the command name may contain spaces and parentheses: fields start after the last ')'
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long utime = Long.parseLong(f[11]);
            long stime = Long.parseLong(f[12]);
            return (utime + stime) / (double) TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    /** VmRSS in kB, or -1 when the process is gone. */
    public static long rssKb(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) return Long.parseLong(line.substring(6).trim().split("\\s+")[0]);
            }
        } catch (IOException | RuntimeException e) {
            // gone
        }
        return -1;
    }

    /**
     * UDP receive-buffer overflows (RcvbufErrors) in the network namespace of {@code pid}: datagrams the kernel
     * dropped because a socket there was full, i.e. its reader fell behind. -1 when unreadable.
     */
    public static long udpReceiveBufferErrors(long pid) {
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/" + pid + "/net/snmp"));
            String[] names = null;
            for (String line : lines) {
                if (!line.startsWith("Udp: ")) continue;
                String[] f = line.substring(5).trim().split("\\s+");
                if (names == null) {
                    names = f;
                    continue;
                }
                for (int i = 0; i < names.length && i < f.length; i++) {
                    if (names[i].equals("RcvbufErrors")) return Long.parseLong(f[i]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or the process is gone
        }
        return -1;
    }

    /** Number of threads of the process. */
    public static int threads(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("Threads:")) return Integer.parseInt(line.substring(8).trim());
            }
        } catch (IOException | RuntimeException e) {
            // gone
        }
        return -1;
    }

    private static long readTicksPerSecond() {
        try {
            Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            p.waitFor();
            return Long.parseLong(out);
        } catch (IOException | RuntimeException e) {
            return DEFAULT_TICKS_PER_SECOND;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return DEFAULT_TICKS_PER_SECOND;
        }
    }
}
