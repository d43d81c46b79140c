package org.conclave.sfu.config;

import java.math.BigInteger;
import java.util.Date;
import java.util.List;
import java.util.Map;

/** How values appear in messages: strings quoted, everything else with its YAML type. */
final class ConfigValues {
    private static final int MAX_SHOWN_CHARS = 80;

    private ConfigValues() {}

    /** A value as a rule states it: {@code 70000}, {@code "foo"}. */
    static String show(Object value) {
        if (value instanceof String s) return quote(s);
        if (value instanceof List<?> list) return list.stream().map(ConfigValues::show).toList().toString();
        return String.valueOf(value);
    }

    /** A value together with its type, for type errors: {@code "10000" (a string)}. */
    static String describe(Object value) {
        if (value == null) return "nothing";
        if (value instanceof String s) return quote(s) + " (a string)";
        if (value instanceof Integer || value instanceof Long || value instanceof BigInteger) {
            return value + " (a whole number)";
        }
        if (value instanceof Number) return value + " (a number)";
        if (value instanceof Boolean) return value + " (a boolean)";
        if (value instanceof Date) return "a date";
        if (value instanceof List<?>) return "a list";
        if (value instanceof Map<?, ?>) return "a mapping";
        return "a " + value.getClass().getSimpleName();
    }

    private static String quote(String s) {
        String shown = s.length() > MAX_SHOWN_CHARS ? s.substring(0, MAX_SHOWN_CHARS) + "..." : s;
        return '"' + shown.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + '"';
    }
}
