package org.conclave.sfu.config;

import java.util.Objects;

/**
 * One thing wrong with the configuration.
 *
 * @param key what it is about: a dotted key ({@code sfu.udp_port}), an environment variable or the file
 * @param message the rule that failed and the value that broke it ({@code must be between 0 and 65535, got 70000})
 */
public record ConfigProblem(String key, String message) {
    public ConfigProblem {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(message, "message");
    }

    /** The same problem with a note on where the value came from, e.g. {@code (from CONCLAVE_SFU_UDP_PORT)}. */
    public ConfigProblem withNote(String note) {
        return note.isEmpty() ? this : new ConfigProblem(key, message + " " + note);
    }

    @Override
    public String toString() {
        return key + ": " + message;
    }
}
