package org.conclave.sfu.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ConfigSourceTest {

    /** Two sections read the way ServerConfig reads them, so section-level rules can be seen. */
    private static void readTwoSections(String yaml, Map<String, String> env) {
        ConfigSource source = ConfigSource.fromYaml(yaml, "test.yaml", env);
        source.section("sfu").integer("udp_port", 1);
        source.section("appservice").string("server_name", "localhost");
        source.finish();
    }

    static Stream<Arguments> invalidDocuments() {
        return Stream.of(
                Arguments.of("udp_port: 5\n",
                        "udp_port: unknown section; did you mean sfu.udp_port (indented under sfu:)?"),
                Arguments.of("sfuu:\n  udp_port: 5\n", "sfuu: unknown section; did you mean sfu?"),
                Arguments.of("matrix: {}\n", "matrix: unknown section (known: sfu, appservice)"),
                Arguments.of("sfu: 5\n", "sfu: must be a mapping of keys, got 5 (a whole number)"),
                Arguments.of("- sfu\n", "test.yaml: must be a mapping of sections (sfu:, appservice:), got a list"),
                Arguments.of("sfu: [\n", "test.yaml: is not valid YAML: "),
                Arguments.of("sfu:\n  udp_port: 1\n  udp_port: 2\n", "test.yaml: is not valid YAML: "),
                Arguments.of("sfu: !!java.lang.ProcessBuilder [ls]\n", "test.yaml: is not valid YAML: "),
                Arguments.of("a: &a [x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
                        + "c: [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n", "test.yaml: is not valid YAML: "));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidDocuments")
    void invalidDocumentIsReported(String yaml, String expectedStart) {
        assertThatThrownBy(() -> readTwoSections(yaml, Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(expectedStart);
    }

    @Test
    void validDocumentWithBothSectionsPasses() {
        ConfigSource source = ConfigSource.fromYaml("sfu:\n  udp_port: 7\nappservice:\n  server_name: x.org\n",
                "test.yaml", Map.of("CONCLAVE_APPSERVICE_SERVER_NAME", "y.org"));

        assertThat(source.section("sfu").integer("udp_port", 1)).isEqualTo(7);
        assertThat(source.section("appservice").string("server_name", "localhost")).isEqualTo("y.org");
        source.finish();
    }

    @Test
    void unknownVariableOfAnotherSectionIsReportedOnlyWhenThatSectionIsRead() {
        Map<String, String> env = Map.of("CONCLAVE_APPSERVICE_SERVER_NAMES", "x");
        ConfigSource sfuOnly = ConfigSource.empty(env);
        sfuOnly.section("sfu").integer("udp_port", 1);
        sfuOnly.finish();

        assertThatThrownBy(() -> readTwoSections("", env)).hasMessage("CONCLAVE_APPSERVICE_SERVER_NAMES: unknown"
                + " environment variable; did you mean CONCLAVE_APPSERVICE_SERVER_NAME?");
    }

    @Test
    void missingFileIsNamed(@TempDir Path dir) {
        Path missing = dir.resolve("nope.yaml");

        assertThatThrownBy(() -> ConfigSource.fromFile(missing, Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessage(missing + ": configuration file not found");
    }

    @Test
    void fileThatIsNotUtf8IsNamed(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("latin1.yaml");
        Files.write(file, "sfu:\n  bind_address: caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));

        assertThatThrownBy(() -> ConfigSource.fromFile(file, Map.of())).hasMessage(file + ": is not UTF-8 text");
    }

    @Test
    void fileIsRead(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("c.yaml");
        Files.writeString(file, "sfu:\n  udp_port: 12000\n");

        assertThat(SfuConfig.load(file, Map.of()).udpPort()).isEqualTo(12000);
    }

    @Test
    void typeErrorsGiveTheDefaultSoReadingGoesOn() {
        ConfigSource source = ConfigSource.fromYaml("s:\n  n: x\n  l: 5\n  t: [1]\n", "t", Map.of());
        ConfigSection s = source.section("s");

        assertThat(s.integer("n", 3)).isEqualTo(3);
        assertThat(s.stringList("l", List.of("d"))).containsExactly("d");
        assertThat(s.string("t", "d")).isEqualTo("d");
        assertThatThrownBy(source::finish).hasMessage("""
                s.n: must be a whole number, got "x" (a string)
                s.l: must be a list such as [a, b], got 5 (a whole number)
                s.t: must be a string, got a list""");
    }

    static Stream<Arguments> suggestions() {
        return Stream.of(
                Arguments.of("udp_prot", "udp_port"),
                Arguments.of("UDP_PORT", "udp_port"),
                Arguments.of("bindaddress", "bind_address"),
                Arguments.of("max_endpoints_per_conf", null),
                Arguments.of("port", null),
                Arguments.of("zzzzzzzz", null),
                Arguments.of("udp_port".repeat(1000), null));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("suggestions")
    void suggestsOnlyCloseKeys(String typo, String expected) {
        assertThat(Suggestions.closest(typo, List.of("udp_port", "bind_address", "max_endpoints"))).isEqualTo(expected);
    }
}
