package org.conclave.appservice.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.lang.reflect.RecordComponent;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every key of sections appservice and calls has a line, with its environment variable, in docs/operators.md. */
class DocumentedKeysTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            appservice | ### `appservice:` | ### `calls:`
            calls      | ### `calls:`      | ## Connecting Synapse
            """)
    void everyKeyIsDocumentedAndNothingElse(String section, String from, String to) throws Exception {
        // One key per record component (the typed model), named in snake case.
        Class<?> model = section.equals(AppserviceConfig.SECTION) ? AppserviceConfig.class : CallConfig.class;
        Set<String> known = new TreeSet<>();
        for (RecordComponent c : model.getRecordComponents()) {
            known.add(c.getName().replaceAll("([A-Z])", "_$1").toLowerCase(Locale.ROOT));
        }
        // Each of them is a key the loader knows (an unknown key would be refused).
        for (String key : known) {
            assertThat(ServerConfig.fromYaml(section + ":\n  " + key + ":\n", Map.of())).isNotNull();
        }

        String doc = Files.readString(ROOT.resolve("docs/operators.md"));
        String part = doc.substring(doc.indexOf(from), doc.indexOf(to));
        Set<String> documented = new TreeSet<>();
        String prefix = "CONCLAVE_" + section.toUpperCase() + "_";
        Matcher m = Pattern.compile("(?m)^\\| `([a-z0-9_]+)` \\| .*`" + prefix + "([A-Z0-9_]+)`").matcher(part);
        while (m.find()) {
            documented.add(m.group(1));
            assertThat(m.group(2)).as("environment name of %s", m.group(1)).isEqualTo(m.group(1).toUpperCase());
        }
        assertThat(documented).isEqualTo(known);
    }
}
