package org.conclave.sfu.config;

import java.util.Objects;

/**
 * One thing wrong with the configuration.
 *
 * @param key what it is about: a dotted key ({@code sfu.udp_port}), an environment variable or the file; as found
 *     (an unknown key is whatever the file held)
 * @param message the rule that failed and the value that broke it ({@code must be between 0 and 65535, got 70000})
 */
public record ConfigProblem(String key, String message) {
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    public ConfigProblem {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(message, "message");
    }

    /** The same problem with a note on where the value came from, e.g. {@code (from CONCLAVE_SFU_UDP_PORT)}. */
    public ConfigProblem withNote(String note) {
        return note.isEmpty() ? this : new ConfigProblem(key, message + " " + note);
    }

    /**
     * One line whatever the key or value held: line breaks and other control characters appear escaped, a blank key
     * in quotes.
     */
    @Override
    public String toString() {
        return printable(key.isBlank() ? '"' + key + '"' : key) + ": " + printable(message);
    }

    private static String printable(String s) {
        StringBuilder out = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean escape = Character.isISOControl(c) || c == '\u2028' || c == '\u2029';
            if (escape && out == null) out = new StringBuilder(s.length() + 16).append(s, 0, i);
            if (escape) {
                // Not String.format: it parses its pattern with a regex per call, and the fuzzer's keys hold many.
                out.append("\\u").append(HEX[c >> 12 & 0xF]).append(HEX[c >> 8 & 0xF]).append(HEX[c >> 4 & 0xF])
                        .append(HEX[c & 0xF]);
            } else if (out != null) {
                out.append(c);
            }
        }
        return out == null ? s : out.toString();
    }
}
