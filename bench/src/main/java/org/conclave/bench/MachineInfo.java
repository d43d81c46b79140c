package org.conclave.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

/** What the benchmark ran on, for the report. */
public record MachineInfo(int cpus, String cpuModel, long memoryMb, String kernel, String jdk, String janus,
        String date) {

    public static MachineInfo collect(String janusVersion) {
        return new MachineInfo(Runtime.getRuntime().availableProcessors(), readCpuModel(), readMemoryMb(),
                read("/proc/sys/kernel/osrelease").trim(),
                System.getProperty("java.vm.vendor") + " " + System.getProperty("java.runtime.version"),
                janusVersion, ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
    }

    /** 1-minute load average. */
    public static double loadAverage() {
        try {
            return Double.parseDouble(read("/proc/loadavg").split(" ")[0]);
        } catch (RuntimeException e) {
            return Double.NaN;
        }
    }

    private static String readCpuModel() {
        for (String line : read("/proc/cpuinfo").split("\n")) {
            if (line.startsWith("model name")) return line.substring(line.indexOf(':') + 1).trim();
        }
        return "unknown";
    }

    private static long readMemoryMb() {
        for (String line : read("/proc/meminfo").split("\n")) {
            if (line.startsWith("MemTotal:")) return Long.parseLong(line.replaceAll("\\D+", "")) / 1024;
        }
        return -1;
    }

    private static String read(String path) {
        try {
            return Files.readString(Path.of(path));
        } catch (Exception e) {
            return "";
        }
    }
}
