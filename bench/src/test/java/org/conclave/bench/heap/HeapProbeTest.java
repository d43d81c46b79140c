package org.conclave.bench.heap;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** jcmd against this JVM, as the benchmark runs it against a target's. */
public class HeapProbeTest {
    private static volatile byte[] keep;

    @Test
    void measuresLiveBytesAndDumpsThroughJcmd(@TempDir Path dir) throws Exception {
        HeapProbe probe = new HeapProbe(ProcessHandle.current().info().command().orElseThrow(), dir, 2);
        long pid = ProcessHandle.current().pid();
        keep = new byte[8 << 20];
        long live = probe.liveBytes(pid, "now");
        // Other tests of this JVM may free memory meanwhile: check the array is counted, not a difference.
        assertThat(live).isGreaterThan(8L << 20);
        String histogram = Files.readString(dir.resolve("now.histogram.txt"));
        assertThat(HeapProbe.histogramTotal(histogram)).isEqualTo(live);
        long byteArrays = histogram.lines().filter(l -> l.contains(" [B ")).mapToLong(l -> Long.parseLong(
                l.trim().split("\\s+")[2])).sum();
        assertThat(byteArrays).isGreaterThanOrEqualTo(8L << 20);
        Path dump = probe.dump(pid, "now");
        assertThat(HeapOwners.census(dump).bytes().get("class " + HeapProbeTest.class.getName()))
                .as("the static field's array is charged to the class").isGreaterThanOrEqualTo(8L << 20);
        assertThat(probe.dumpsAfter(1)).isTrue();
        assertThat(probe.dumpsAfter(0)).isFalse();
        assertThat(probe.liveBytes(Long.MAX_VALUE, "nobody")).isEqualTo(-1);
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
        "'12:\n num     #instances         #bytes  class name (module)\n   1:  10  2000  [B (java.base@17)\nTotal   10   2000\n'; 2000",
        "'Total        1234567      98765432'; 98765432",
        "'12:\nno such process'; -1",
    })
    void readsTheHistogramsTotal(String histogram, long bytes) {
        assertThat(HeapProbe.histogramTotal(histogram)).isEqualTo(bytes);
    }
}
