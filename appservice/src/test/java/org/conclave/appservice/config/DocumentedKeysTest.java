package org.conclave.appservice.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.conclave.sfu.config.ConfigSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every key of the appservice module's sections has a line in docs/operators.md under its section's heading (with its
 * environment variable), and nothing else is documented there; the sfu module checks its own section.
 */
class DocumentedKeysTest {
    private static final Path OPERATORS = Path.of("../docs/operators.md");

    @ParameterizedTest
    @ValueSource(strings = {"appservice", "calls", "admin", "logging", "public", "turn", "cluster"})
    void everyKeyIsDocumentedAndNothingElse(String section) throws Exception {
        ConfigSource source = ConfigSource.empty(Map.of());
        ServerConfig.read(source);
        Set<String> known = new TreeSet<>(source.resolved().get(section).keySet());

        String doc = Files.readString(OPERATORS);
        int start = doc.indexOf("### `" + section + ":`");
        assertThat(start).as("docs/operators.md has a heading ### `%s:`", section).isNotNegative();
        int end = doc.indexOf("\n### ", start + 1);
        String part = doc.substring(start, end < 0 ? doc.length() : end);
        String env = section.toUpperCase(Locale.ROOT);
        Set<String> documented = new TreeSet<>();
        Matcher m = Pattern.compile("(?m)^\\| `([a-z0-9_]+)` \\| .*`CONCLAVE_" + env + "_([A-Z0-9_]+)`").matcher(part);
        while (m.find()) {
            documented.add(m.group(1));
            assertThat(m.group(2)).as("environment name of %s.%s", section, m.group(1))
                    .isEqualTo(m.group(1).toUpperCase(Locale.ROOT));
        }
        assertThat(documented).isEqualTo(known);
    }
}
