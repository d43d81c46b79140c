package org.conclave.appservice.registration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import org.conclave.appservice.config.AppserviceConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegistrationFileTest {
    private static final String URL = "http://127.0.0.1:8009";

    @TempDir
    Path dir;

    private AppserviceConfig config() {
        return AppserviceConfig.defaults().withRegistrationPath(dir.resolve("sub/registration.yaml").toString());
    }

    @Test
    void missingFileIsCreatedOwnerOnly() throws Exception {
        RegistrationFile file = new RegistrationFile(config().registrationFile());

        RegistrationFile.Outcome outcome = file.ensure(config(), URL, new SecureRandom());

        assertThat(outcome.status()).isEqualTo(RegistrationFile.Status.CREATED);
        assertThat(outcome.path()).isEqualTo(dir.resolve("sub/registration.yaml")).isAbsolute();
        assertThat(file.read()).isEqualTo(outcome.registration());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(outcome.path()))).isEqualTo("rw-------");
        try (var entries = Files.list(outcome.path().getParent())) {
            assertThat(entries).containsExactly(outcome.path());
        }
    }

    @Test
    void existingFileIsReadAndNeverRewritten() throws Exception {
        RegistrationFile file = new RegistrationFile(config().registrationFile());
        Registration first = file.ensure(config(), URL, new SecureRandom()).registration();
        String before = Files.readString(file.path());

        RegistrationFile.Outcome again = file.ensure(config(), URL, new SecureRandom());

        assertThat(again.status()).isEqualTo(RegistrationFile.Status.EXISTING);
        assertThat(again.registration()).isEqualTo(first);
        assertThat(again.warnings()).isEmpty();
        assertThat(Files.readString(file.path())).isEqualTo(before);
    }

    @Test
    void placeholderTokensAreReplaced() throws Exception {
        Path path = config().registrationFile();
        Files.createDirectories(path.getParent());
        Files.copy(Path.of("../registration.yaml"), path);

        RegistrationFile.Outcome outcome = new RegistrationFile(path).ensure(config(), URL, new SecureRandom());

        assertThat(outcome.status()).isEqualTo(RegistrationFile.Status.REPLACED_PLACEHOLDERS);
        assertThat(outcome.registration().hasPlaceholderTokens()).isFalse();
        assertThat(Files.readString(path)).doesNotContain(Registration.PLACEHOLDER_PREFIX)
                .contains(outcome.registration().asToken());
    }

    @Test
    void existingFileThatNoLongerMatchesTheConfigIsKeptWithWarningsThatHoldNoToken() throws Exception {
        RegistrationFile file = new RegistrationFile(config().registrationFile());
        Registration written = file.ensure(config(), URL, new SecureRandom()).registration();
        AppserviceConfig moved = new AppserviceConfig("http://127.0.0.1:8008", "example.org", "127.0.0.1", 9009,
                "other", "bot", "_conclave_", config().registrationPath());

        RegistrationFile.Outcome outcome = file.ensure(moved, "http://127.0.0.1:9009", new SecureRandom());

        assertThat(outcome.registration()).isEqualTo(written);
        assertThat(outcome.warnings()).hasSize(4);
        assertThat(outcome.warnings().get(0)).contains("url is http://127.0.0.1:8009")
                .contains("listens on http://127.0.0.1:9009");
        assertThat(String.join("\n", outcome.warnings()))
                .doesNotContain(written.asToken()).doesNotContain(written.hsToken());
    }

    @Test
    void unusableFileNamesItsPathAndTheWayOut() throws Exception {
        Path path = config().registrationFile();
        Files.createDirectories(path.getParent());
        Files.writeString(path, "id: conclave\n");

        assertThatThrownBy(() -> new RegistrationFile(path).ensure(config(), URL, new SecureRandom()))
                .isInstanceOf(RegistrationException.class)
                .hasMessage(path + " needs a non-empty string url; fix it, or delete it to have a new one generated");
    }
}
