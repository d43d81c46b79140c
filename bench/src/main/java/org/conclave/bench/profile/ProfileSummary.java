package org.conclave.bench.profile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Summarises an async-profiler CPU profile in collapsed form (one "frame;frame;... count" line per stack, threads
 * split) for one thread: the share of its samples per {@link StackCategory} and the hottest leaf frames.
 */
public final class ProfileSummary {
    static final int TOP_FRAMES = 20;

    private ProfileSummary() {}

    /** Markdown for thread {@code thread} (name prefix) of a collapsed profile. */
    public static String summarize(Path collapsed, String thread) throws IOException {
        Map<StackCategory, Long> byCategory = new EnumMap<>(StackCategory.class);
        Map<String, Long> leaves = new HashMap<>();
        long total = 0;
        long all = 0;
        for (String line : Files.readAllLines(collapsed)) {
            int space = line.lastIndexOf(' ');
            if (space < 0) continue;
            long count;
            try {
                count = Long.parseLong(line.substring(space + 1).trim());
            } catch (NumberFormatException e) {
                continue;
            }
            all += count;
            List<String> frames = new ArrayList<>(Arrays.asList(line.substring(0, space).split(";")));
            if (frames.isEmpty() || !frames.get(0).startsWith("[" + thread)) continue;
            frames.remove(0);
            total += count;
            byCategory.merge(StackCategory.of(frames), count, Long::sum);
            if (!frames.isEmpty()) leaves.merge(frames.get(frames.size() - 1), count, Long::sum);
        }
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "Thread `%s`: %d of %d samples of the process.%n%n", thread, total, all));
        if (total == 0) return s.toString();
        s.append("| Where | Share of the thread's CPU |\n|---|---:|\n");
        long t = total;
        byCategory.entrySet().stream().sorted(Map.Entry.<StackCategory, Long>comparingByValue().reversed())
                .forEach(e -> s.append(String.format(Locale.ROOT, "| %s | %.1f%% |%n", e.getKey().label, 100.0 * e.getValue() / t)));
        s.append("\nHottest leaf frames (self time):\n\n| Frame | Share |\n|---|---:|\n");
        leaves.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(TOP_FRAMES)
                .forEach(e -> s.append(String.format(Locale.ROOT, "| `%s` | %.1f%% |%n", e.getKey(), 100.0 * e.getValue() / t)));
        return s.toString();
    }

    /** {@code ProfileSummary FILE THREAD}: prints the summary. */
    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: ProfileSummary collapsed-profile.txt thread-name");
            System.exit(2);
        }
        System.out.println(summarize(Path.of(args[0]), args[1]));
    }
}
