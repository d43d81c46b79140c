package org.conclave.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.conclave.bench.run.ScenarioResult;
import org.conclave.bench.run.StepResult;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BaselineRatioTest {
    /**
     * Steps of ours and of ours-base as "label:µs per packet:loss %[:sent %]" (sent 100 unless given); the cell
     * the report prints. Only steps both measured without loss (< 0.5%, generator at its load) are compared.
     */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "a:2.00:0 b:1.60:0        | a:2.50:0 b:2.00:0       | a: 0.80 (2.00 / 2.50); b: 0.80 (1.60 / 2.00)",
        "a:2.00:0 b:1.00:0.4      | a:4.00:0 b:2.00:0.1     | a: 0.50 (2.00 / 4.00); b: 0.50 (1.00 / 2.00)",
        "a:2.00:0 b:1.00:3        | a:4.00:0 b:2.00:0       | a: 0.50 (2.00 / 4.00)",
        "a:2.00:0 b:1.00:0        | a:4.00:0 b:2.00:0.5     | a: 0.50 (2.00 / 4.00)",
        "a:2.00:0 b:1.00:0:90     | a:4.00:0 b:2.00:0       | a: 0.50 (2.00 / 4.00)",
        "a:2.00:0 b:1.00:0 c:1:0  | a:3.00:0 b:3.00:0       | a: 0.67 (2.00 / 3.00); b: 0.33 (1.00 / 3.00)",
        "b:1.00:0                 | a:3.00:0 b:4.00:0       | b: 0.25 (1.00 / 4.00)",
        "a:2.00:1                 | a:4.00:0                | no common step without loss",
        "a:2.00:0                 | b:4.00:0                | no common step without loss",
    })
    void ratioAtEveryCommonStepWithoutLoss(String ours, String base, String expected) {
        String cell = BaselineRatio.cell(BaselineRatio.common(result("ours", ours), result(BenchOptions.BASE, base)));
        assertThat(cell).isEqualTo(expected);
    }

    /** Targets that ran webinar -> the section's line for it ("-": no section at all). */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "ours,ours-base,limit | a: 0.50 (1.00 / 2.00)",
        "ours-base,ours       | a: 0.50 (1.00 / 2.00)",
        "ours-base            | ours not run",
        "ours,limit           | -",
    })
    void sectionHasALinePerScenarioWithTheBaseline(String targets, String cell) {
        List<ScenarioResult> results = new ArrayList<>();
        for (String t : targets.split(",")) results.add(result(t, t.equals("ours") ? "a:1.00:0" : "a:2.00:0"));
        BenchOptions options = BenchOptions.parse(new String[] {"--base-sfu-jar", "b.jar", "--base-label", "2de3104"});
        String section = BaselineRatio.section(results, options);
        if (cell.equals("-")) {
            assertThat(section).isEmpty();
            return;
        }
        assertThat(section).startsWith("### CPU per packet vs ours-base\n").contains("ours-base (2de3104)'s")
                .contains("\n| webinar | " + cell + " |\n");
    }

    @org.junit.jupiter.api.Test
    void reportLabelsTheBaselineWithItsCommitAndShowsTheRatio() {
        List<ScenarioResult> results = List.of(result("ours", "a:1.50:0 b:1.20:0 c:1.00:2"),
                result(BenchOptions.BASE, "a:2.00:0 b:2.00:0 c:2.00:0"));
        BenchOptions options = BenchOptions.parse(new String[] {"--base-sfu-jar", "b.jar", "--base-label", "2de3104"});
        String md = Report.markdown(results, new MachineInfo(2, "cpu", 4096, "6.1", "21", "not run", "today"), options,
                0, 0);
        assertThat(md).contains("- Baseline ours-base (2de3104): ours (1 packet thread, same options) with the sfu jar `b.jar`")
                .contains("| webinar | ours-base (2de3104) | >= c |") // the summary: its knee is the last step
                .contains("| webinar | ours | b |")
                .contains("| webinar | ours-base (2de3104) | a |") // every step
                .contains("| webinar | a: 0.75 (1.50 / 2.00); b: 0.60 (1.20 / 2.00) |");
    }

    private static ScenarioResult result(String target, String steps) {
        List<StepResult> out = new ArrayList<>();
        for (String s : steps.trim().split("\\s+")) {
            String[] f = s.split(":");
            double loss = Double.parseDouble(f[2]) / 100;
            double sent = f.length > 3 ? Double.parseDouble(f[3]) / 100 : 1;
            out.add(step(f[0], Double.parseDouble(f[1]), loss, sent));
        }
        return new ScenarioResult("webinar", "Webinar", target, target, 0, "AEAD_AES_128_GCM", out, null, -1, null);
    }

    private static StepResult step(String label, double micros, double loss, double sent) {
        return new StepResult(label, 10, 10, 1000, 1000, 1000, 1000, loss, 1000, 1, 5, 0.01, 10, micros, 10, 1000, 20,
                100, 200, 300, 0, 0, 0, 0, 0, 0, 0.1, 0, 0, sent, -1);
    }
}
