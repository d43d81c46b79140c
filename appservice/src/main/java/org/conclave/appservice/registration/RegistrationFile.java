package org.conclave.appservice.registration;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import org.conclave.appservice.config.AppserviceConfig;

/** The registration file at {@code appservice.registration_path}: created on first start, then only read. */
public final class RegistrationFile {
    /** Owner-only: the file holds the appservice's secrets. */
    private static final String FILE_PERMISSIONS = "rw-------";

    /** What {@link #ensure} did. */
    public enum Status { CREATED, REPLACED_PLACEHOLDERS, EXISTING }

    /**
     * @param path absolute path of the file
     * @param warnings sentences about an existing file that no longer matches the config (never contain tokens)
     */
    public record Outcome(Registration registration, Path path, Status status, List<String> warnings) {
        public Outcome {
            warnings = List.copyOf(warnings);
        }

        public boolean written() {
            return status != Status.EXISTING;
        }
    }

    private final Path path;

    public RegistrationFile(Path path) {
        this.path = path.toAbsolutePath().normalize();
    }

    public Path path() {
        return path;
    }

    /**
     * Returns the registration, writing a new one (fresh tokens) if the file is missing or still has the sample's
     * placeholder tokens. An existing file is never rewritten: its tokens are already known to the homeserver.
     *
     * @param url where the homeserver reaches the appservice
     * @throws RegistrationException if an existing file is unusable
     */
    public Outcome ensure(AppserviceConfig config, String url, SecureRandom random) throws IOException {
        if (!Files.exists(path)) {
            return write(Registration.generate(config, url, random), Status.CREATED);
        }
        Registration existing = read();
        if (existing.hasPlaceholderTokens()) {
            return write(Registration.generate(config, url, random), Status.REPLACED_PLACEHOLDERS);
        }
        return new Outcome(existing, path, Status.EXISTING, mismatches(existing, config, url));
    }

    public Registration read() throws IOException {
        try {
            return Registration.parse(Files.readString(path));
        } catch (RegistrationException e) {
            throw new RegistrationException(path + " " + e.getMessage()
                    + "; fix it, or delete it to have a new one generated");
        }
    }

    /** What the homeserver's admin must do with a newly written file. */
    public static List<String> adminSteps(Path file) {
        return List.of(
                "To connect Conclave to Synapse:",
                "  1. In Synapse's homeserver.yaml add the registration file:",
                "       app_service_config_files:",
                "         - " + file,
                "     (Synapse must be able to read it; it is owner-only: copy it or adjust its owner.)",
                "  2. For calls placed without a DM (to-device signalling), also set in homeserver.yaml:",
                "       experimental_features:",
                "         msc2409_to_device_messages_enabled: true",
                "  3. Restart Synapse.");
    }

    private Outcome write(Registration registration, Status status) throws IOException {
        Path dir = path.getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, ".registration", ".tmp");
        try {
            if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString(FILE_PERMISSIONS));
            }
            Files.writeString(tmp, registration.toYaml());
            try {
                Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
        return new Outcome(registration, path, status, List.of());
    }

    private List<String> mismatches(Registration existing, AppserviceConfig config, String url) {
        List<String> warnings = new ArrayList<>();
        String fix = "; edit the file (or delete it to regenerate) and restart Synapse";
        if (!existing.url().equals(url)) {
            warnings.add(path + ": url is " + existing.url() + " but the appservice listens on " + url + fix);
        }
        if (!existing.id().equals(config.asId())) {
            warnings.add(path + ": id is " + existing.id() + " but appservice.as_id is " + config.asId() + fix);
        }
        if (!existing.senderLocalpart().equals(config.senderLocalpart())) {
            warnings.add(path + ": sender_localpart is " + existing.senderLocalpart()
                    + " but appservice.sender_localpart is " + config.senderLocalpart() + fix);
        }
        if (!existing.userRegexes().containsAll(Registration.expectedUserRegexes(config))) {
            warnings.add(path + ": namespaces.users is " + existing.userRegexes() + " but the config needs "
                    + Registration.expectedUserRegexes(config) + fix);
        }
        return warnings;
    }
}
