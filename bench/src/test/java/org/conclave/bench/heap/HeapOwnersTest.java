package org.conclave.bench.heap;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Dumps this JVM's heap around a known structure and finds it charged to its owner. */
public class HeapOwnersTest {
    /** Owns 100 arrays of 10,000 bytes through an array of arrays, and a list of 50 int arrays through a JDK list. */
    static final class Holder {
        final byte[][] slots = new byte[100][10_000];
        final List<int[]> lists = new ArrayList<>();

        Holder() {
            for (int i = 0; i < 50; i++) lists.add(new int[1_000]);
        }
    }

    static final class Empty {}

    private static volatile Object keep;

    @Test
    void chargesArraysAndCollectionsToTheNearestObjectOfOurs(@TempDir Path dir) throws Exception {
        Path idle = dump(dir.resolve("idle.hprof"));
        keep = List.of(new Holder(), new Holder(), new Empty());
        Path loaded = dump(dir.resolve("loaded.hprof"));
        HeapOwners.Census before = HeapOwners.census(idle);
        HeapOwners.Census after = HeapOwners.census(loaded);
        String holder = Holder.class.getName();
        // per Holder: 100 x (16 + 10,000) + 50 x (16 + 4,000) bytes of arrays, plus the containers
        long each = 100 * 10_016 + 50 * 4_016;
        assertThat(after.bytes().get(holder)).isBetween(2 * each, 2 * each + 4_096);
        assertThat(after.instances().get(holder)).isEqualTo(2);
        assertThat(before.bytes().get(holder)).isNull();
        assertThat(after.bytes().get(Empty.class.getName())).isEqualTo(16L);
        assertThat(after.total()).isGreaterThan(2 * each); // other tests in this JVM may free memory meanwhile
        String table = HeapOwners.table(before, after, 2);
        assertThat(table).contains("| `" + holder + "` | " + String.format(java.util.Locale.ROOT, "%.1f",
                after.bytes().get(holder) / 2 / 1024.0) + " | 2 / 0 |");
        assertThat(table).contains("**total live heap**");
        String details = HeapOwners.details(before, after, 2, 100);
        assertThat(details).contains("| `" + holder + "` | `byte[]` " + String.format(java.util.Locale.ROOT, "%.1f",
                2 * 100 * 10_016 / 2 / 1024.0) + ", `int[]` " + String.format(java.util.Locale.ROOT, "%.1f",
                2 * 50 * 4_016 / 2 / 1024.0) + ", ");
    }

    private static Path dump(Path file) throws Exception {
        ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class).dumpHeap(file.toString(), true);
        assertThat(Files.size(file)).isPositive();
        return file;
    }
}
