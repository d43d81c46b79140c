package org.conclave.sfu.config;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * One configuration document: a YAML file made of sections ({@code sfu:}, {@code appservice:}) plus environment
 * overrides named {@code CONCLAVE_<SECTION>_<KEY>}. Typed configs read their values through {@link #section}; then
 * {@link #finish} throws one {@link ConfigException} listing every problem at once: wrong types, broken rules, unknown
 * keys and sections, and unknown {@code CONCLAVE_<SECTION>_*} variables.
 */
public final class ConfigSource {
    public static final String ENV_PREFIX = "CONCLAVE_";
    /** Safe loading: no billion-laughs documents, no huge files, no duplicate keys (a typo would hide a value). */
    private static final int MAX_ALIASES = 20;
    private static final int MAX_DOCUMENT_CODE_POINTS = 1 << 20;
    private static final int MAX_NESTING_DEPTH = 20;
    /** Compiled once: String.replaceAll compiled it on every unparsable document. */
    private static final Pattern LINE_BREAK = Pattern.compile("\\s*\\n\\s*");

    private final Map<String, Object> document;
    private final Map<String, String> env;
    private final Map<String, ConfigSection> sections = new LinkedHashMap<>();
    private final List<ConfigProblem> problems = new ArrayList<>();

    private ConfigSource(Map<String, Object> document, Map<String, String> env) {
        this.document = document;
        this.env = Map.copyOf(env);
    }

    /** Reads a YAML file; a missing or unparsable file is reported at once. */
    public static ConfigSource fromFile(Path file, Map<String, String> env) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new ConfigException(new ConfigProblem(file.toString(), "configuration file not found"));
        } catch (CharacterCodingException e) {
            throw new ConfigException(new ConfigProblem(file.toString(), "is not UTF-8 text"));
        } catch (IOException e) {
            throw new ConfigException(new ConfigProblem(file.toString(), "cannot be read: " + e.getMessage()));
        }
        return fromYaml(text, file.toString(), env);
    }

    /** @param origin names the document in messages (usually the file name) */
    public static ConfigSource fromYaml(String yaml, String origin, Map<String, String> env) {
        Objects.requireNonNull(yaml, "yaml");
        Object root;
        try {
            root = newYaml().load(yaml);
        } catch (MarkedYAMLException e) {
            String where = e.getProblemMark() == null ? ""
                    : " (line " + (e.getProblemMark().getLine() + 1) + ", column " + (e.getProblemMark().getColumn() + 1) + ")";
            throw new ConfigException(new ConfigProblem(origin, "is not valid YAML: " + e.getProblem() + where));
        } catch (YAMLException e) {
            throw new ConfigException(new ConfigProblem(origin, "is not valid YAML: " + oneLine(e.getMessage())));
        } catch (RuntimeException e) {
            // SnakeYAML lets a few JDK exceptions escape on odd input (e.g. bad !!binary); same meaning.
            throw new ConfigException(new ConfigProblem(origin, "is not valid YAML: " + e));
        }
        if (root == null) return new ConfigSource(Map.of(), env);
        if (!(root instanceof Map<?, ?> map)) {
            throw new ConfigException(new ConfigProblem(origin,
                    "must be a mapping of sections (sfu:, appservice:), got " + ConfigValues.describe(root)));
        }
        Map<String, Object> document = new LinkedHashMap<>();
        map.forEach((k, v) -> document.put(String.valueOf(k), v));
        return new ConfigSource(document, env);
    }

    /** No file: every value is its default unless the environment overrides it. */
    public static ConfigSource empty(Map<String, String> env) {
        return new ConfigSource(Map.of(), env);
    }

    /** The named section (read once per name; later calls return the same section). */
    public ConfigSection section(String name) {
        return sections.computeIfAbsent(name, n -> {
            Object raw = document.get(n);
            Map<String, Object> values = new LinkedHashMap<>();
            if (raw instanceof Map<?, ?> map) {
                map.forEach((k, v) -> values.put(String.valueOf(k), v));
            } else if (raw != null) {
                report(new ConfigProblem(n, "must be a mapping of keys, got " + ConfigValues.describe(raw)));
            }
            return new ConfigSection(this, n, values);
        });
    }

    /**
     * The effective value of every key read, by section then key (defaults included): what the server runs with.
     * Holds secrets as read; mask them before showing.
     */
    public Map<String, Map<String, Object>> resolved() {
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        sections.forEach((name, section) -> out.put(name, section.resolved()));
        return out;
    }

    /** Throws if anything was reported or if the document or environment holds something no section read. */
    public void finish() {
        List<ConfigProblem> all = new ArrayList<>(problems);
        for (String key : document.keySet()) {
            if (!sections.containsKey(key)) all.add(unknownSection(key));
        }
        for (ConfigSection section : sections.values()) {
            all.addAll(section.unknownKeys());
            all.addAll(unknownVariables(section));
        }
        if (!all.isEmpty()) throw new ConfigException(all);
    }

    void report(ConfigProblem problem) {
        problems.add(problem);
    }

    String env(String name) {
        return env.get(name);
    }

    static String envName(String section, String key) {
        return envPrefix(section) + key.toUpperCase(Locale.ROOT);
    }

    /** Whether the environment holds a variable of the section ({@code CONCLAVE_<SECTION>_...}). */
    boolean hasVariables(String section) {
        String prefix = envPrefix(section);
        for (String name : env.keySet()) {
            if (name.startsWith(prefix)) return true;
        }
        return false;
    }

    private static String envPrefix(String section) {
        return ENV_PREFIX + section.toUpperCase(Locale.ROOT) + "_";
    }

    private ConfigProblem unknownSection(String key) {
        for (ConfigSection section : sections.values()) {
            if (section.knownKeys().contains(key)) {
                return new ConfigProblem(key, "unknown section; did you mean " + section.name() + "." + key
                        + " (indented under " + section.name() + ":)?");
            }
        }
        String guess = Suggestions.closest(key, sections.keySet());
        return new ConfigProblem(key, guess != null
                ? "unknown section; did you mean " + guess + "?"
                : "unknown section (known: " + String.join(", ", sections.keySet()) + ")");
    }

    private List<ConfigProblem> unknownVariables(ConfigSection section) {
        String prefix = envPrefix(section.name());
        List<ConfigProblem> result = new ArrayList<>();
        if (!hasVariables(section.name())) return result;
        List<String> known = section.knownKeys().stream().map(k -> envName(section.name(), k)).toList();
        env.keySet().stream().filter(n -> n.startsWith(prefix) && !known.contains(n)).sorted().forEach(n -> {
            String guess = Suggestions.closest(n, known);
            result.add(new ConfigProblem(n, guess != null
                    ? "unknown environment variable; did you mean " + guess + "?"
                    : "unknown environment variable (known: " + String.join(", ", known) + ")"));
        });
        return result;
    }

    private static Yaml newYaml() {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        options.setMaxAliasesForCollections(MAX_ALIASES);
        options.setCodePointLimit(MAX_DOCUMENT_CODE_POINTS);
        options.setNestingDepthLimit(MAX_NESTING_DEPTH);
        options.setAllowRecursiveKeys(false);
        return new Yaml(new SafeConstructor(options));
    }

    private static String oneLine(String message) {
        return message == null ? "" : LINE_BREAK.matcher(message.strip()).replaceAll(" ");
    }
}
