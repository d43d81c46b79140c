package org.conclave.tests.reliability;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.conclave.tests.ops.PromText;

/**
 * What the soak reads off the server at each sample (after a full GC): heap, threads, file descriptors, endpoints,
 * conferences and the counters of internal errors, plus the load's loss over the sample's window and the machine's
 * load; and the figures made of them (start, end, least-squares slope over the churn).
 */
final class SoakSamples {
    enum Phase { BASELINE, CHURN, DRAINED }

    /** Counters that count internal errors: none may move while the soak runs. */
    static final List<String> ERROR_COUNTERS = List.of(
            "logback_events_total{level=\"error\"}",
            "conclave_sfu_drops_total{reason=\"internal_error\"}",
            "conclave_sfu_endpoint_failures_total{reason=\"internal\"}",
            "conclave_sfu_datachannel_errors_total",
            "conclave_appservice_events_total{outcome=\"failed\"}",
            "conclave_appservice_events_total{outcome=\"timeout\"}",
            "conclave_homeserver_request_failures_total");

    record Sample(double minutes, Phase phase, double heapMb, double threads, double fds, double endpoints,
            double conferences, Map<String, Double> errors, double loss, double loadAverage, double serverCpu) {}

    private final List<Sample> samples = new ArrayList<>();
    private final long startNanos = System.nanoTime();

    synchronized Sample add(Phase phase, PromText m, int endpoints, int conferences, double loss, double serverCpu) {
        Map<String, Double> errors = new LinkedHashMap<>();
        for (String counter : ERROR_COUNTERS) errors.put(counter, m.samples().getOrDefault(counter, 0.0));
        double heap = m.samples().entrySet().stream().filter(e -> e.getKey().startsWith("jvm_memory_used_bytes{")
                && e.getKey().contains("area=\"heap\"")).mapToDouble(Map.Entry::getValue).sum() / (1024 * 1024);
        Sample s = new Sample((System.nanoTime() - startNanos) / 60e9, phase, heap,
                m.value("jvm_threads_live_threads"), m.value("process_files_open_files"), endpoints, conferences,
                errors, loss, loadAverage(), serverCpu);
        samples.add(s);
        return s;
    }

    synchronized List<Sample> of(Phase phase) {
        return samples.stream().filter(s -> s.phase() == phase).toList();
    }

    synchronized List<Sample> all() {
        return List.copyOf(samples);
    }

    /** The mean over the baseline samples. */
    double baseline(ToDoubleFunction<Sample> f) {
        return of(Phase.BASELINE).stream().mapToDouble(f).average().orElse(Double.NaN);
    }

    /** The last sample of a phase. */
    Sample last(Phase phase) {
        List<Sample> s = of(phase);
        return s.isEmpty() ? null : s.get(s.size() - 1);
    }

    /** Least-squares slope per hour over the churn phase. */
    double slopePerHour(ToDoubleFunction<Sample> f) {
        List<Sample> s = of(Phase.CHURN);
        if (s.size() < 2) return Double.NaN;
        double mx = s.stream().mapToDouble(Sample::minutes).average().orElse(0);
        double my = s.stream().mapToDouble(f).average().orElse(0);
        double num = 0;
        double den = 0;
        for (Sample x : s) {
            num += (x.minutes() - mx) * (f.applyAsDouble(x) - my);
            den += (x.minutes() - mx) * (x.minutes() - mx);
        }
        return den == 0 ? 0 : num / den * 60;
    }

    /** Counters of internal errors that moved between the first sample and the last, with how much. */
    synchronized Map<String, Double> errorsMoved() {
        Map<String, Double> moved = new LinkedHashMap<>();
        if (samples.isEmpty()) return moved;
        Map<String, Double> first = samples.get(0).errors();
        Map<String, Double> last = samples.get(samples.size() - 1).errors();
        first.forEach((k, v) -> {
            if (last.get(k) - v != 0) moved.put(k, last.get(k) - v);
        });
        return moved;
    }

    /** A markdown table row: start (baseline mean), end of churn, after the drain, slope over the churn. */
    String row(String what, String unit, ToDoubleFunction<Sample> f) {
        Sample churnEnd = last(Phase.CHURN);
        Sample end = last(Phase.DRAINED);
        return String.format(Locale.ROOT, "| %s | %.1f %s | %.1f %s | %.1f %s | %+.2f %s/hour |", what, baseline(f),
                unit, churnEnd == null ? Double.NaN : f.applyAsDouble(churnEnd), unit,
                end == null ? Double.NaN : f.applyAsDouble(end), unit, slopePerHour(f), unit);
    }

    /** Every sample as CSV (for a plot). */
    synchronized String csv() {
        StringBuilder b = new StringBuilder("minutes,phase,heap_mb,threads,fds,endpoints,conferences,loss,load\n");
        for (Sample s : samples) {
            b.append(String.format(Locale.ROOT, "%.2f,%s,%.1f,%.0f,%.0f,%.0f,%.0f,%.5f,%.2f%n", s.minutes(),
                    s.phase(), s.heapMb(), s.threads(), s.fds(), s.endpoints(), s.conferences(), s.loss(),
                    s.loadAverage()));
        }
        return b.toString();
    }

    static double loadAverage() {
        try {
            return Double.parseDouble(java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg"))
                    .split(" ")[0]);
        } catch (Exception e) {
            return Double.NaN;
        }
    }
}
