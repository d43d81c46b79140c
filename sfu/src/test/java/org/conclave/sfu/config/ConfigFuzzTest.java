package org.conclave.sfu.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.Test;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Hostile configuration for the SFU's loader: any YAML text and any environment give either a config or one
 * {@link ConfigException} whose problems each name a key and fit on one line (the message promises a line per
 * problem); the same input always gives the same outcome. Input: optional {@code NAME=value} lines (the
 * environment), a NUL byte, then the YAML document; without a NUL the whole input is the document.
 */
class ConfigFuzzTest {

    @FuzzTest(maxDuration = "60s")
    void sfuConfig(byte[] data) {
        String text = new String(data, StandardCharsets.UTF_8);
        Map<String, String> env = environment(text);
        String yaml = text.substring(text.indexOf('\0') + 1);
        String outcome = outcome(yaml, env);
        assertThat(outcome(yaml, env)).as("same input, same outcome").isEqualTo(outcome);
    }

    /** The config as text, or the problems; asserts that every problem is well-formed. */
    private static String outcome(String yaml, Map<String, String> env) {
        try {
            return SfuConfig.fromYaml(yaml, env).toString();
        } catch (ConfigException e) {
            assertThat(e.problems()).isNotEmpty();
            for (ConfigProblem p : e.problems()) {
                assertOneLine(p);
            }
            return e.getMessage();
        }
    }

    /** A problem names what it is about and is one line (no line break of any kind, in the key or the message). */
    static void assertOneLine(ConfigProblem p) {
        String line = p.toString();
        if (!line.startsWith(": ") && !p.message().isBlank() && lineBreakIn(line) < 0) return;
        // Only on a failure: AssertJ per problem was a good part of an execution, and toString() is not free.
        assertThat(line).doesNotStartWith(": ");
        assertThat(p.message()).isNotBlank();
        assertThat(lineBreakIn(line)).as("one line: %s", p).isNegative();
    }

    private static final String LINE_BREAKS = "\n\r\u000B\u000C\u0085\u2028\u2029";

    /**
     * Where the first line break of any kind is, or -1. A scan with indexOf, not a regex: Jazzer hooks every node of
     * every regex match, which made this one check most of the target's time per execution.
     */
    static int lineBreakIn(String s) {
        int first = -1;
        for (int i = 0; i < LINE_BREAKS.length(); i++) {
            int at = s.indexOf(LINE_BREAKS.charAt(i));
            if (at >= 0 && (first < 0 || at < first)) first = at;
        }
        return first;
    }

    /** {@code NAME=value} lines before the first NUL (none if there is no NUL). */
    static Map<String, String> environment(String text) {
        Map<String, String> env = new HashMap<>();
        int end = text.indexOf('\0');
        if (end < 0) return env;
        for (String line : text.substring(0, end).split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) env.put(line.substring(0, eq), line.substring(eq + 1));
        }
        return env;
    }

    /** Keeps the seeds meaningful: the sfu section of config/conclave.yaml is accepted. */
    @Test
    void seedsReachTheAcceptingPath() throws Exception {
        try (var in = getClass().getResourceAsStream("ConfigFuzzTestInputs/sfuConfig/conclave-sfu-section")) {
            String yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertThat(SfuConfig.fromYaml(yaml, Map.of())).isEqualTo(SfuConfig.defaults());
        }
    }
}
