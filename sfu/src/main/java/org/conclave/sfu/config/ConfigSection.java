package org.conclave.sfu.config;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Typed reads of one section. A value comes from {@code CONCLAVE_<SECTION>_<KEY>} if that variable is set, else from
 * the file, else the default; a YAML {@code null} (a key with nothing after the colon) counts as not set. A value of the
 * wrong type is reported to the {@link ConfigSource} and replaced by the default so that reading goes on and every
 * problem is found in one run.
 */
public final class ConfigSection {
    /** Beyond this many keys an unknown-key message points to the documentation instead of listing them. */
    static final int MAX_KEYS_LISTED = 12;
    private static final BigInteger INT_MIN = BigInteger.valueOf(Integer.MIN_VALUE);
    private static final BigInteger INT_MAX = BigInteger.valueOf(Integer.MAX_VALUE);
    private static final Pattern WHOLE_NUMBER = Pattern.compile("[+-]?[0-9]{1,30}");

    private final ConfigSource source;
    private final String name;
    private final Map<String, Object> values;
    private final Set<String> knownKeys = new LinkedHashSet<>();
    /** Keys whose value came from the environment, with the variable's name: messages say so. */
    private final Map<String, String> fromEnv = new LinkedHashMap<>();
    /** Every key read, with the value it ended up with (default, file or environment): the effective config. */
    private final Map<String, Object> resolved = new LinkedHashMap<>();
    /**
     * Whether any {@code CONCLAVE_<SECTION>_*} variable is set: without one, no key's variable is looked up (a name
     * built and a map lookup per key read, which Jazzer's map hook compares with every variable of a fuzz input).
     */
    private final boolean hasVariables;

    ConfigSection(ConfigSource source, String name, Map<String, Object> values) {
        this.source = source;
        this.name = name;
        this.values = values;
        this.hasVariables = source.hasVariables(name);
    }

    public String name() {
        return name;
    }

    public String string(String key, String defaultValue) {
        return resolve(key, readString(key, defaultValue));
    }

    private String readString(String key, String defaultValue) {
        Object raw = raw(key);
        if (raw == null) return defaultValue;
        if (raw instanceof String s) return s.strip();
        String hint = raw instanceof Number || raw instanceof Boolean ? "; put it in quotes" : "";
        typeError(key, "must be a string, got " + ConfigValues.describe(raw) + hint);
        return defaultValue;
    }

    /** true or false (a YAML boolean, or the words in a string, as environment variables give them). */
    public boolean bool(String key, boolean defaultValue) {
        return resolve(key, readBool(key, defaultValue));
    }

    private boolean readBool(String key, boolean defaultValue) {
        Object raw = raw(key);
        if (raw == null) return defaultValue;
        if (raw instanceof Boolean b) return b;
        if (raw instanceof String s && (s.strip().equals("true") || s.strip().equals("false"))) {
            return Boolean.parseBoolean(s.strip());
        }
        typeError(key, "must be true or false, got " + ConfigValues.describe(raw));
        return defaultValue;
    }

    public int integer(String key, int defaultValue) {
        return resolve(key, readInteger(key, defaultValue));
    }

    private int readInteger(String key, int defaultValue) {
        Object raw = raw(key);
        if (raw == null) return defaultValue;
        BigInteger value = null;
        if (raw instanceof Integer || raw instanceof Long) value = BigInteger.valueOf(((Number) raw).longValue());
        if (raw instanceof BigInteger b) value = b;
        if (raw instanceof String s && fromEnv.containsKey(key)) value = parseInteger(s.strip());
        if (value == null) {
            typeError(key, "must be a whole number, got " + ConfigValues.describe(raw));
            return defaultValue;
        }
        if (value.compareTo(INT_MIN) < 0 || value.compareTo(INT_MAX) > 0) {
            typeError(key, "is far out of range, got " + value);
            return defaultValue;
        }
        return value.intValue();
    }

    /** A YAML list of strings, or in the environment a comma-separated list (empty entries dropped). */
    public List<String> stringList(String key, List<String> defaultValue) {
        return resolve(key, readStringList(key, defaultValue));
    }

    private List<String> readStringList(String key, List<String> defaultValue) {
        Object raw = raw(key);
        if (raw == null) return defaultValue;
        if (raw instanceof String s && fromEnv.containsKey(key)) {
            List<String> result = new ArrayList<>();
            for (String part : s.split(",", -1)) {
                if (!part.isBlank()) result.add(part.strip());
            }
            return List.copyOf(result);
        }
        if (!(raw instanceof List<?> list)) {
            typeError(key, "must be a list such as [a, b], got " + ConfigValues.describe(raw));
            return defaultValue;
        }
        List<String> result = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            if (list.get(i) instanceof String s) {
                result.add(s.strip());
            } else {
                typeError(key, "entry " + (i + 1) + " must be a string, got " + ConfigValues.describe(list.get(i)));
                return defaultValue;
            }
        }
        return List.copyOf(result);
    }

    /**
     * Runs a typed config's validating constructor; its {@link ConfigException} is recorded (with notes on values
     * that came from the environment) and null returned. Null therefore only ever comes with a recorded problem,
     * which {@link ConfigSource#finish} throws.
     */
    public <T> T build(Supplier<T> constructor) {
        try {
            return constructor.get();
        } catch (ConfigException e) {
            for (ConfigProblem p : e.problems()) source.report(p.withNote(noteFor(p.key())));
            return null;
        }
    }

    /** Every key read so far with its effective value, in reading order. */
    public Map<String, Object> resolved() {
        return java.util.Collections.unmodifiableMap(resolved);
    }

    private <T> T resolve(String key, T value) {
        resolved.put(key, value);
        return value;
    }

    Set<String> knownKeys() {
        return knownKeys;
    }

    List<ConfigProblem> unknownKeys() {
        List<ConfigProblem> result = new ArrayList<>();
        for (String key : values.keySet()) {
            if (knownKeys.contains(key)) continue;
            String guess = Suggestions.closest(key, knownKeys);
            String known = knownKeys.size() <= MAX_KEYS_LISTED ? "unknown key (known: " + String.join(", ", knownKeys) + ")"
                    : "unknown key (docs/operators.md lists the keys of section " + name + ")";
            result.add(new ConfigProblem(name + "." + key, guess != null ? "unknown key; did you mean " + guess + "?" : known));
        }
        return result;
    }

    private Object raw(String key) {
        knownKeys.add(key);
        if (!hasVariables) return values.get(key);
        String envName = ConfigSource.envName(name, key);
        String fromEnvironment = source.env(envName);
        if (fromEnvironment != null) {
            fromEnv.put(key, envName);
            return fromEnvironment;
        }
        return values.get(key);
    }

    private void typeError(String key, String message) {
        source.report(new ConfigProblem(name + "." + key, message).withNote(noteFor(name + "." + key)));
    }

    private String noteFor(String dottedKey) {
        String prefix = name + ".";
        if (!dottedKey.startsWith(prefix)) return "";
        String envName = fromEnv.get(dottedKey.substring(prefix.length()));
        return envName == null ? "" : "(from " + envName + ")";
    }

    private static BigInteger parseInteger(String s) {
        return WHOLE_NUMBER.matcher(s).matches() ? new BigInteger(s) : null;
    }
}
