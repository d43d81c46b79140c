package org.conclave.sfu.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** A problem prints on one line, whatever its key or value held (found by ServerConfigFuzzTest). */
class ConfigProblemTest {

    static Stream<Arguments> problems() {
        return Stream.of(
                Arguments.of("sfu.udp_port", "must be between 0 and 65535, got 70000",
                        "sfu.udp_port: must be between 0 and 65535, got 70000"),
                Arguments.of("sfu.a\nb", "unknown key", "sfu.a\\u000Ab: unknown key"),
                Arguments.of("appservice.as_id", "got \"a\u2028b\"", "appservice.as_id: got \"a\\u2028b\""),
                Arguments.of("x", "got \"a\rb\u0085c\u2029d\"", "x: got \"a\\u000Db\\u0085c\\u2029d\""),
                Arguments.of("CONCLAVE_SFU_\u001B[2J", "unknown environment variable",
                        "CONCLAVE_SFU_\\u001B[2J: unknown environment variable"),
                Arguments.of("", "unknown section", "\"\": unknown section"),
                Arguments.of(" ", "unknown section", "\" \": unknown section"));
    }

    @ParameterizedTest
    @MethodSource("problems")
    void printsOnOneLine(String key, String message, String printed) {
        assertThat(new ConfigProblem(key, message)).hasToString(printed);
    }

    @Test
    void aValueWithLineBreaksGivesOneLinePerProblem() {
        String yaml = "sfu:\n  bind_address: \"a\\u2028b\\rc\"\n  \"udp\\nport\": 1\n";
        try {
            SfuConfig.fromYaml(yaml, Map.of());
            throw new AssertionError("accepted " + yaml);
        } catch (ConfigException e) {
            assertThat(e.getMessage().split("\n")).hasSize(2)
                    .allSatisfy(line -> assertThat(line).doesNotContainPattern("[\\r\\u0085\\u2028\\u2029]"));
        }
    }
}
