package org.conclave.bench.profile;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * What one thread allocates, from a JFR recording's jdk.ObjectAllocationSample events (weighted by the bytes each
 * sample stands for): the per-packet allocations the hot path is not supposed to have.
 */
public final class AllocationSummary {
    static final int TOP = 15;
    static final int FRAMES_SHOWN = 4;

    private AllocationSummary() {}

    public static String summarize(Path jfr, String thread) throws IOException {
        Map<String, Long> bySite = new HashMap<>();
        long total = 0;
        for (RecordedEvent e : RecordingFile.readAllEvents(jfr)) {
            if (!e.getEventType().getName().equals("jdk.ObjectAllocationSample")) continue;
            RecordedThread t = e.getThread("eventThread");
            if (t == null || t.getJavaName() == null || !t.getJavaName().startsWith(thread)) continue;
            long weight = e.getLong("weight");
            total += weight;
            bySite.merge(site(e), weight, Long::sum);
        }
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "Thread `%s` allocated about %.1f MB in the recording.%n%n", thread, total / 1e6));
        if (total == 0) return s.toString();
        s.append("| Class <- allocating frames | Share |\n|---|---:|\n");
        long t = total;
        bySite.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(TOP)
                .forEach(en -> s.append(String.format(Locale.ROOT, "| `%s` | %.1f%% |%n", en.getKey(), 100.0 * en.getValue() / t)));
        return s.toString();
    }

    private static String site(RecordedEvent e) {
        String type = e.getClass("objectClass") == null ? "?" : e.getClass("objectClass").getName();
        RecordedStackTrace st = e.getStackTrace();
        StringBuilder s = new StringBuilder(type);
        if (st != null) {
            List<RecordedFrame> frames = st.getFrames();
            for (int i = 0; i < Math.min(FRAMES_SHOWN, frames.size()); i++) {
                RecordedFrame f = frames.get(i);
                s.append(" <- ").append(simple(f.getMethod().getType().getName())).append('.').append(f.getMethod().getName());
            }
        }
        return s.toString();
    }

    private static String simple(String className) {
        return className.substring(className.lastIndexOf('.') + 1);
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: AllocationSummary recording.jfr thread-name");
            System.exit(2);
        }
        System.out.println(summarize(Path.of(args[0]), args[1]));
    }
}
