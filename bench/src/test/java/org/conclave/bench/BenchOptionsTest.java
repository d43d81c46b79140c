package org.conclave.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BenchOptionsTest {
    /** args (space-separated; "_" for none) -> the targets that run (comma-separated), base jar and label. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "_                                                  | ours,ours2,janus,limit           | -      | -",
        "--base-sfu-jar b.jar                               | ours,ours-base,ours2,janus,limit | b.jar  | b.jar",
        "--base-sfu-jar b.jar --base-label 2de3104          | ours,ours-base,ours2,janus,limit | b.jar  | 2de3104",
        "--targets ours,ours-base --base-sfu-jar b.jar      | ours,ours-base                   | b.jar  | b.jar",
        "--base-sfu-jar b.jar --targets ours-base,ours      | ours-base,ours                   | b.jar  | b.jar",
        "--base-sfu-jar b.jar --targets ours,limit          | ours,limit                       | b.jar  | b.jar",
        "--targets ours,ours2,limit --targets ours          | ours                             | -      | -",
        "--base-label 2de3104                               | ours,ours2,janus,limit           | -      | -",
    })
    void targetsAndBaseline(String args, String targets, String jar, String label) {
        BenchOptions o = BenchOptions.parse(args.equals("_") ? new String[0] : args.split(" "));
        assertThat(o.targets()).containsExactly(targets.split(","));
        assertThat(o.baseSfuJar()).isEqualTo(jar.equals("-") ? null : Path.of(jar));
        assertThat(o.baseLabel()).isEqualTo(label.equals("-") ? null : label);
    }

    /** args ("_": an empty value) -> what the error says. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--targets ours,ours-base                 | ours-base needs --base-sfu-jar",
        "--targets ours-base --base-sfu-jar _     | ours-base needs --base-sfu-jar",
        "--targets ours-gso,ours-base-gso         | ours-base-gso needs --base-sfu-jar",
        "--targets ours,ours-bass                 | unknown ours-bass",
        "--base-sfu-jar                           | missing value for --base-sfu-jar",
    })
    void rejects(String args, String message) {
        String[] a = args.split(" ");
        for (int i = 0; i < a.length; i++) if (a[i].equals("_")) a[i] = ""; // an empty value
        assertThatThrownBy(() -> BenchOptions.parse(a)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "ours      | 2de3104 | ours",
        "ours-base | 2de3104 | ours-base (2de3104)",
        "ours2     | 2de3104 | ours2",
        "janus     | -       | janus",
    })
    void labelsTheBaselineWithWhatItRan(String target, String label, String expected) {
        List<String> args = label.equals("-") ? List.of() : List.of("--base-sfu-jar", "b.jar", "--base-label", label);
        assertThat(BenchOptions.parse(args.toArray(String[]::new)).label(target)).isEqualTo(expected);
    }
}
