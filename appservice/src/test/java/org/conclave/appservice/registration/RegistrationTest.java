package org.conclave.appservice.registration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.conclave.appservice.config.AppserviceConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

class RegistrationTest {
    private static final AppserviceConfig CONFIG = new AppserviceConfig("http://127.0.0.1:8008", "matrix.example.org",
            "127.0.0.1", 8009, "conclave", "conclave", "_conclave_", "var/registration.yaml");

    @Test
    void generatedTokensAreLongRandomAndAlphanumeric() {
        Registration r = Registration.generate(CONFIG, "http://127.0.0.1:8009", new SecureRandom());

        assertThat(r.asToken()).hasSize(64).matches("[A-Za-z0-9]{64}");
        assertThat(r.hsToken()).hasSize(64).matches("[A-Za-z0-9]{64}");
        assertThat(r.asToken()).isNotEqualTo(r.hsToken());
        assertThat(Registration.generate(CONFIG, "u", new SecureRandom()).asToken()).isNotEqualTo(r.asToken());
        assertThat(r.hasPlaceholderTokens()).isFalse();
    }

    @Test
    void writtenYamlHasEveryFieldSynapseNeeds() {
        Registration r = Registration.generate(CONFIG, "http://127.0.0.1:8009", new SecureRandom());

        Map<String, Object> yaml = new Yaml(new SafeConstructor(new LoaderOptions())).load(r.toYaml());

        assertThat(yaml).containsEntry("id", "conclave")
                .containsEntry("url", "http://127.0.0.1:8009")
                .containsEntry("as_token", r.asToken())
                .containsEntry("hs_token", r.hsToken())
                .containsEntry("sender_localpart", "conclave")
                .containsEntry("rate_limited", false)
                .containsEntry("receive_ephemeral", true)
                .containsEntry("de.sorunome.msc2409.push_ephemeral", true)
                .containsEntry("namespaces", Map.of(
                        "users", List.of(
                                Map.of("regex", "@_conclave_.*:matrix\\.example\\.org", "exclusive", true),
                                Map.of("regex", "@conclave:matrix\\.example\\.org", "exclusive", true)),
                        "aliases", List.of(),
                        "rooms", List.of()));
        assertThat(Registration.parse(r.toYaml())).isEqualTo(r);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            @_conclave_alice:matrix.example.org     | true
            @_conclave_:matrix.example.org          | true
            @conclave:matrix.example.org            | true
            @_conclave_alice:matrixXexample.org     | false
            @alice:matrix.example.org               | false
            @conclave2:matrix.example.org           | false
            """)
    void userRegexesMatchOnlyOurUsers(String userId, boolean ours) {
        // lookingAt: Synapse tests namespaces with Python's re.match, anchored at the start only.
        boolean matched = Registration.expectedUserRegexes(CONFIG).stream()
                .anyMatch(regex -> Pattern.compile(regex).matcher(userId).lookingAt());

        assertThat(matched).isEqualTo(ours);
    }

    @Test
    void regexEscapingCoversEverySpecialCharacter() {
        assertThat(Registration.escapeRegex("a.b+c[d]e")).isEqualTo("a\\.b\\+c\\[d\\]e");
        assertThat(Registration.escapeRegex("x/y=z-_")).isEqualTo("x/y=z-_");
        assertThat(Registration.expectedUserRegexes(CONFIG.withListenPort(1)).get(0))
                .isEqualTo("@_conclave_.*:matrix\\.example\\.org");
    }

    @Test
    void toStringNeverShowsTokens() {
        Registration r = Registration.generate(CONFIG, "http://127.0.0.1:8009", new SecureRandom());

        assertThat(r.toString()).doesNotContain(r.asToken()).doesNotContain(r.hsToken()).contains("<redacted>");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            "id: x\\nid: y"                                  | is not valid YAML (line 2, column 1)
            "as_token: !Zk3RtQ9vXw7LmN2pSECRET"               | is not valid YAML (line 1, column 11)
            "as_token: *Zk3RtQ9vXw7LmN2pSECRET"               | is not valid YAML (line 1, column 11)
            "Zk3RtQ9vXw7LmN2pSECRET: 1\\nZk3RtQ9vXw7LmN2pSECRET: 2" | is not valid YAML (line 2, column 1)
            "- a"                                           | must be a YAML mapping
            "id: x"                                         | needs a non-empty string url
            "id: x\\nurl: u\\nas_token: ''\\nhs_token: h"      | needs a non-empty string as_token
            "id: x\\nurl: u\\nas_token: 5\\nhs_token: h"       | needs a non-empty string as_token
            """)
    void unusableFileIsExplainedWithoutQuotingIt(String yaml, String expected) {
        assertThatThrownBy(() -> Registration.parse(yaml.replace("\\n", "\n")))
                .isInstanceOf(RegistrationException.class)
                .hasMessage(expected);
    }

    @Test
    void syntaxErrorMessageDoesNotQuoteTheFile() {
        String secret = "S3cretS3cretS3cretS3cretS3cretS3cretS3cretS3cretS3cretS3cretABCD";

        assertThatThrownBy(() -> Registration.parse("as_token: " + secret + "\nhs_token: [" + secret + "\n"))
                .isInstanceOf(RegistrationException.class)
                .hasMessageStartingWith("is not valid YAML (line ")
                .message().doesNotContain(secret);
    }

    @Test
    void committedSampleHasPlaceholderTokensAndTheDefaultShape() throws Exception {
        Registration sample = Registration.parse(Files.readString(Path.of("../registration.yaml")));

        assertThat(sample.hasPlaceholderTokens()).isTrue();
        assertThat(sample.asToken()).startsWith(Registration.PLACEHOLDER_PREFIX);
        assertThat(sample.hsToken()).startsWith(Registration.PLACEHOLDER_PREFIX);
        assertThat(sample.id()).isEqualTo(AppserviceConfig.defaults().asId());
        assertThat(sample.url()).isEqualTo("http://127.0.0.1:8009");
        assertThat(sample.userRegexes()).isEqualTo(Registration.expectedUserRegexes(
                AppserviceConfig.defaults().withServerName("example.org")));
    }
}
