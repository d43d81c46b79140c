package org.conclave.appservice.registration;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.conclave.appservice.config.AppserviceConfig;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * The appservice registration the homeserver loads (Matrix application service API, "Registration"). Holds the two
 * shared secrets, so {@link #toString} never shows them and nothing here logs.
 *
 * @param asToken what the appservice presents to the homeserver
 * @param hsToken what the homeserver presents to the appservice
 * @param userRegexes the exclusive user namespace, then the sender itself
 */
public record Registration(String id, String url, String asToken, String hsToken, String senderLocalpart,
        List<String> userRegexes) {

    public static final int TOKEN_LENGTH = 64;
    /** Tokens of the committed sample start with this: such a file is filled in with real tokens at start. */
    public static final String PLACEHOLDER_PREFIX = "CHANGE_ME";
    private static final String TOKEN_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    /** Characters special in Python's re (Synapse compiles the regexes); \Q..\E is not supported there. */
    private static final String REGEX_SPECIALS = "\\.^$|?*+()[]{}";
    private static final int MAX_FILE_CODE_POINTS = 64 * 1024;

    public Registration {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(asToken, "asToken");
        Objects.requireNonNull(hsToken, "hsToken");
        Objects.requireNonNull(senderLocalpart, "senderLocalpart");
        userRegexes = List.copyOf(userRegexes);
    }

    /** A fresh registration for this config with new random tokens. */
    public static Registration generate(AppserviceConfig config, String url, SecureRandom random) {
        return new Registration(config.asId(), url, newToken(random), newToken(random), config.senderLocalpart(),
                expectedUserRegexes(config));
    }

    /** {@code @<prefix>.*:<server_name>} and {@code @<sender>:<server_name>}, regex-escaped for Synapse. */
    public static List<String> expectedUserRegexes(AppserviceConfig config) {
        String server = escapeRegex(config.serverName());
        return List.of("@" + escapeRegex(config.userNamespacePrefix()) + ".*:" + server,
                "@" + escapeRegex(config.senderLocalpart()) + ":" + server);
    }

    public static String newToken(SecureRandom random) {
        StringBuilder token = new StringBuilder(TOKEN_LENGTH);
        for (int i = 0; i < TOKEN_LENGTH; i++) token.append(TOKEN_ALPHABET.charAt(random.nextInt(TOKEN_ALPHABET.length())));
        return token.toString();
    }

    static String escapeRegex(String literal) {
        StringBuilder out = new StringBuilder(literal.length() + 8);
        for (char c : literal.toCharArray()) {
            if (REGEX_SPECIALS.indexOf(c) >= 0) out.append('\\');
            out.append(c);
        }
        return out.toString();
    }

    public boolean hasPlaceholderTokens() {
        return asToken.startsWith(PLACEHOLDER_PREFIX) || hsToken.startsWith(PLACEHOLDER_PREFIX);
    }

    /** The file's text; comments tell whoever opens it what it is and that it is secret. */
    public String toYaml() {
        StringBuilder y = new StringBuilder();
        y.append("# Conclave appservice registration, written by Conclave (see docs/operators.md).\n");
        y.append("# SECRET: as_token and hs_token let anyone act as this appservice or as the homeserver towards it.\n");
        y.append("# Add this file's absolute path to app_service_config_files in Synapse's homeserver.yaml,\n");
        y.append("# then restart Synapse. Delete it to have new tokens generated (and restart Synapse again).\n");
        y.append("id: ").append(quote(id)).append('\n');
        y.append("url: ").append(quote(url)).append('\n');
        y.append("as_token: ").append(quote(asToken)).append('\n');
        y.append("hs_token: ").append(quote(hsToken)).append('\n');
        y.append("sender_localpart: ").append(quote(senderLocalpart)).append('\n');
        y.append("rate_limited: false\n");
        y.append("receive_ephemeral: true\n");
        y.append("de.sorunome.msc2409.push_ephemeral: true\n");
        y.append("namespaces:\n");
        y.append("  users:\n");
        for (String regex : userRegexes) {
            y.append("    - regex: ").append(quote(regex)).append('\n');
            y.append("      exclusive: true\n");
        }
        y.append("  aliases: []\n");
        y.append("  rooms: []\n");
        return y.toString();
    }

    /** Reads a registration file's text; only the fields Conclave uses are required. */
    public static Registration parse(String yaml) {
        Object root;
        try {
            LoaderOptions options = new LoaderOptions();
            options.setAllowDuplicateKeys(false);
            options.setCodePointLimit(MAX_FILE_CODE_POINTS);
            options.setMaxAliasesForCollections(10);
            root = new Yaml(new SafeConstructor(options)).load(yaml);
        } catch (MarkedYAMLException e) {
            // Position only: the full message quotes the offending line, and the problem text can quote a tag, an
            // alias or a key (RegistrationFuzzTest found a tag); any of them may hold a token.
            throw new RegistrationException("is not valid YAML" + (e.getProblemMark() == null ? ""
                    : " (line " + (e.getProblemMark().getLine() + 1) + ", column " + (e.getProblemMark().getColumn() + 1)
                    + ")"));
        } catch (RuntimeException e) {
            throw new RegistrationException("is not valid YAML (" + e.getClass().getSimpleName() + ")");
        }
        if (!(root instanceof Map<?, ?> map)) throw new RegistrationException("must be a YAML mapping");
        return new Registration(field(map, "id"), field(map, "url"), field(map, "as_token"), field(map, "hs_token"),
                field(map, "sender_localpart"), userRegexes(map));
    }

    @Override
    public String toString() {
        return "Registration[id=" + id + ", url=" + url + ", asToken=<redacted>, hsToken=<redacted>, senderLocalpart="
                + senderLocalpart + ", userRegexes=" + userRegexes + "]";
    }

    private static String field(Map<?, ?> map, String key) {
        Object value = map.get(key);
        if (!(value instanceof String s) || s.isBlank()) {
            throw new RegistrationException("needs a non-empty string " + key);
        }
        return s;
    }

    private static List<String> userRegexes(Map<?, ?> map) {
        List<String> result = new ArrayList<>();
        if (map.get("namespaces") instanceof Map<?, ?> namespaces && namespaces.get("users") instanceof List<?> users) {
            for (Object user : users) {
                if (user instanceof Map<?, ?> entry && entry.get("regex") instanceof String regex) result.add(regex);
            }
        }
        return result;
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "''") + "'";
    }
}
