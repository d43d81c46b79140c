package org.conclave.bench.heap;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Live heap by owner: every object of a heap dump is charged (shallow size) to the nearest object of ours
 * ({@code org.conclave.*}) above it — itself if it is one, else its referrer's owner, following one referrer per
 * object (the first met in the dump). A class's static fields are charged to the class ("class X"). Objects with no
 * such owner are grouped by the topmost object of their chain ("(no owner) X"). Comparing a loaded server's dump
 * with its idle dump, divided by the participants, says what one participant costs and where.
 *
 * <p>{@code java -cp ... org.conclave.bench.heap.HeapOwners IDLE.hprof LOADED.hprof PARTICIPANTS} prints the table.
 */
public final class HeapOwners {
    static final String OURS = "org.conclave.";
    /** Owners whose share per participant is below this are summed in one row. */
    static final long MIN_ROW_BYTES = 1024;

    /** Bytes per owner, and instances of the owner's class; bytes per owner per kind of object it holds. */
    public record Census(Map<String, Long> bytes, Map<String, Integer> instances, long total,
            Map<String, Map<String, Long>> kinds) {}

    private HeapOwners() {}

    public static void main(String[] args) throws IOException {
        if (args.length != 3) {
            System.err.println("usage: HeapOwners IDLE.hprof LOADED.hprof PARTICIPANTS");
            System.exit(2);
        }
        System.out.print(table(census(Path.of(args[0])), census(Path.of(args[1])), Integer.parseInt(args[2])));
    }

    public static Census census(Path dump) throws IOException {
        return census(HeapGraph.read(dump));
    }

    static Census census(HeapGraph g) {
        int[] ownerOf = new int[g.count];
        java.util.Arrays.fill(ownerOf, -1);
        Map<String, Long> bytes = new HashMap<>();
        Map<String, Integer> instances = new HashMap<>();
        List<String> owners = new ArrayList<>();
        Map<String, Integer> ownerIndex = new HashMap<>();
        Map<String, Map<String, Long>> kinds = new HashMap<>();
        long total = 0;
        for (int i = 0; i < g.count; i++) {
            int o = owner(g, i, ownerOf, owners, ownerIndex);
            String kind = g.kinds.get(g.kind[i]);
            bytes.merge(owners.get(o), (long) g.size[i], Long::sum);
            kinds.computeIfAbsent(owners.get(o), k -> new HashMap<>()).merge(kind, (long) g.size[i], Long::sum);
            total += g.size[i];
            if (kind.startsWith(OURS)) instances.merge(kind, 1, Integer::sum);
        }
        return new Census(bytes, instances, total, kinds);
    }

    /** The owner of object i (memoized for every object on the way up). */
    private static int owner(HeapGraph g, int i, int[] ownerOf, List<String> owners, Map<String, Integer> ownerIndex) {
        List<Integer> path = new ArrayList<>();
        Set<Integer> seen = new HashSet<>();
        int j = i;
        String found = null;
        while (ownerOf[j] < 0) {
            String kind = g.kinds.get(g.kind[j]);
            if (kind.startsWith(OURS) || kind.startsWith("class " + OURS)) {
                found = kind;
                break;
            }
            path.add(j);
            seen.add(j);
            int next = g.parent[j] == HeapGraph.NONE ? -1 : g.index.get(g.parent[j]);
            if (next < 0 || seen.contains(next)) {
                found = "(no owner) " + kind;
                break;
            }
            j = next;
        }
        int o;
        if (found == null) {
            o = ownerOf[j];
        } else {
            o = ownerIndex.computeIfAbsent(found, k -> {
                owners.add(k);
                return owners.size() - 1;
            });
            ownerOf[j] = o;
        }
        for (int k : path) ownerOf[k] = o;
        return o;
    }

    /** Markdown: bytes per participant by owner, loaded minus idle, largest first. */
    public static String table(Census idle, Census loaded, int participants) {
        Set<String> names = new HashSet<>(loaded.bytes().keySet());
        names.addAll(idle.bytes().keySet());
        List<String> rows = new ArrayList<>(names);
        Map<String, Long> delta = new HashMap<>();
        for (String n : rows) delta.put(n, loaded.bytes().getOrDefault(n, 0L) - idle.bytes().getOrDefault(n, 0L));
        rows.sort((a, b) -> Long.compare(delta.get(b), delta.get(a)));
        StringBuilder s = new StringBuilder();
        s.append("| Owner (nearest object of ours) | kB per participant | instances of the owner's class (loaded / idle) |\n");
        s.append("|---|---:|---|\n");
        long rest = 0;
        for (String n : rows) {
            long d = delta.get(n);
            if (Math.abs(d) < MIN_ROW_BYTES * participants) {
                rest += d;
                continue;
            }
            s.append("| `").append(n).append("` | ").append(kb(d, participants)).append(" | ")
                    .append(loaded.instances().getOrDefault(n, 0)).append(" / ").append(idle.instances().getOrDefault(n, 0))
                    .append(" |\n");
        }
        s.append("| everything else (each < 1 kB per participant) | ").append(kb(rest, participants)).append(" | |\n");
        s.append("| **total live heap** (").append(mb(loaded.total())).append(" MB loaded - ").append(mb(idle.total()))
                .append(" MB idle) | **").append(kb(loaded.total() - idle.total(), participants)).append("** | |\n");
        return s.toString();
    }

    /**
     * Markdown: for the {@code top} owners that grew most, what they hold (kinds of objects, loaded minus idle, kB per
     * participant, the three largest).
     */
    public static String details(Census idle, Census loaded, int participants, int top) {
        List<String> owners = new ArrayList<>(loaded.bytes().keySet());
        owners.sort((a, b) -> Long.compare(grown(idle, loaded, b), grown(idle, loaded, a)));
        StringBuilder s = new StringBuilder("| Owner | what it holds (kB per participant) |\n|---|---|\n");
        for (String o : owners.subList(0, Math.min(top, owners.size()))) {
            Map<String, Long> was = idle.kinds().getOrDefault(o, Map.of());
            List<Map.Entry<String, Long>> held = new ArrayList<>();
            for (Map.Entry<String, Long> e : loaded.kinds().get(o).entrySet()) {
                held.add(Map.entry(e.getKey(), e.getValue() - was.getOrDefault(e.getKey(), 0L)));
            }
            held.sort((a, b) -> Long.compare(b.getValue(), a.getValue()));
            List<String> parts = new ArrayList<>();
            for (Map.Entry<String, Long> e : held.subList(0, Math.min(3, held.size()))) {
                parts.add("`" + e.getKey() + "` " + kb(e.getValue(), participants));
            }
            s.append("| `").append(o).append("` | ").append(String.join(", ", parts)).append(" |\n");
        }
        return s.toString();
    }

    private static long grown(Census idle, Census loaded, String owner) {
        return loaded.bytes().getOrDefault(owner, 0L) - idle.bytes().getOrDefault(owner, 0L);
    }

    private static String kb(long bytes, int participants) {
        return String.format(Locale.ROOT, "%.1f", bytes / 1024.0 / participants);
    }

    private static String mb(long bytes) {
        return String.format(Locale.ROOT, "%.1f", bytes / 1048576.0);
    }
}
