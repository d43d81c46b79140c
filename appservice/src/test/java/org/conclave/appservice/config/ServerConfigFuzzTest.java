package org.conclave.appservice.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.Test;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.conclave.sfu.config.ConfigException;
import org.conclave.sfu.config.ConfigProblem;

/**
 * Hostile configuration for the whole server's loader (sections sfu, appservice and calls, as ./run.sh reads
 * config/conclave.yaml): a config or one {@link ConfigException} whose problems each name a key and fit on one line;
 * the same input always gives the same outcome. Input as in the SFU's ConfigFuzzTest: optional {@code NAME=value}
 * lines (the environment), a NUL byte, then the YAML document.
 */
class ServerConfigFuzzTest {

    @FuzzTest(maxDuration = "60s")
    void serverConfig(byte[] data) {
        String text = new String(data, StandardCharsets.UTF_8);
        int nul = text.indexOf('\0');
        Map<String, String> env = new HashMap<>();
        for (String line : nul < 0 ? new String[0] : text.substring(0, nul).split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) env.put(line.substring(0, eq), line.substring(eq + 1));
        }
        String yaml = text.substring(nul + 1);
        String outcome = outcome(yaml, env);
        assertThat(outcome(yaml, env)).as("same input, same outcome").isEqualTo(outcome);
    }

    private static String outcome(String yaml, Map<String, String> env) {
        try {
            return ServerConfig.fromYaml(yaml, env).toString();
        } catch (ConfigException e) {
            assertThat(e.problems()).isNotEmpty();
            for (ConfigProblem p : e.problems()) {
                String line = p.toString();
                if (!line.startsWith(": ") && !p.message().isBlank() && lineBreakIn(line) < 0) continue;
                // Only on a failure: AssertJ per problem was a good part of an execution.
                assertThat(line).doesNotStartWith(": ");
                assertThat(p.message()).isNotBlank();
                assertThat(lineBreakIn(line)).as("one line: %s", p).isNegative();
            }
            return e.getMessage();
        }
    }

    private static final String LINE_BREAKS = "\n\r\u000B\u000C\u0085\u2028\u2029";

    /** Where the first line break of any kind is, or -1 (indexOf, not a regex: Jazzer hooks every regex node). */
    private static int lineBreakIn(String s) {
        int first = -1;
        for (int i = 0; i < LINE_BREAKS.length(); i++) {
            int at = s.indexOf(LINE_BREAKS.charAt(i));
            if (at >= 0 && (first < 0 || at < first)) first = at;
        }
        return first;
    }

    /**
     * Keeps the seeds meaningful: the shipped config/conclave.yaml is accepted and gives the defaults (read from the
     * checkout, so that the seed copy of it cannot hide a drift), and the seed copy is accepted too.
     */
    @Test
    void seedsReachTheAcceptingPath() throws Exception {
        String shipped = Files.readString(Path.of("..", "config", "conclave.yaml"));
        assertThat(ServerConfig.fromYaml(shipped, Map.of())).isEqualTo(ServerConfig.defaults());
        try (var in = getClass().getResourceAsStream("ServerConfigFuzzTestInputs/serverConfig/conclave-yaml")) {
            String seed = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertThat(ServerConfig.fromYaml(seed, Map.of())).isNotNull();
        }
    }
}
