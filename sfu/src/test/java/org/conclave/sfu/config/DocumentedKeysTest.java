package org.conclave.sfu.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Every key of section sfu has a line in docs/operators.md, and config/conclave.yaml holds exactly the defaults. */
class DocumentedKeysTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @Test
    void everyKeyIsDocumentedAndNothingElse() throws Exception {
        ConfigSource source = ConfigSource.empty(Map.of());
        SfuConfig.read(source);
        Set<String> known = new TreeSet<>(source.section(SfuConfig.SECTION).knownKeys());

        String doc = Files.readString(ROOT.resolve("docs/operators.md"));
        String sfuPart = doc.substring(doc.indexOf("### `sfu:`"), doc.indexOf("### `appservice:`"));
        Set<String> documented = new TreeSet<>();
        Matcher m = Pattern.compile("(?m)^\\| `([a-z_]+)` \\| .*`CONCLAVE_SFU_([A-Z_]+)`").matcher(sfuPart);
        while (m.find()) {
            documented.add(m.group(1));
            assertThat(m.group(2)).as("environment name of %s", m.group(1)).isEqualTo(m.group(1).toUpperCase());
        }
        assertThat(documented).isEqualTo(known);
    }

    @Test
    void theShippedFileHoldsTheDefaults() {
        // The file has the appservice's sections too: read only ours (a problem in it would make this null).
        ConfigSource source = ConfigSource.fromFile(ROOT.resolve("config/conclave.yaml"), Map.of());
        SfuConfig shipped = SfuConfig.read(source);
        assertThat(shipped).isEqualTo(SfuConfig.defaults());
        assertThat(source.section(SfuConfig.SECTION).unknownKeys()).isEmpty();
    }
}
