package org.conclave.sfu.config;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Collects rule violations of one section for a typed config's constructor, then throws them together. Messages
 * follow one shape: {@code <section>.<key>: <rule>, got <value>}.
 */
public final class ConfigValidator {
    private static final Pattern IPV4 =
            Pattern.compile("((25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])\\.){3}(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])");
    /** Only these characters, so that {@link InetAddress} parses a literal and never asks DNS. */
    private static final Pattern IPV6_CHARS = Pattern.compile("[0-9A-Fa-f:.]+(%[A-Za-z0-9_.-]+)?");
    private static final Pattern DNS_LABEL = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?");
    private static final Pattern ALL_DIGITS = Pattern.compile("[0-9]+");
    private static final int MAX_HOST_NAME_CHARS = 253;

    private final String section;
    private final List<ConfigProblem> problems = new ArrayList<>();

    public ConfigValidator(String section) {
        this.section = section;
    }

    /** Records {@code rule, got value} against the key unless {@code ok}. */
    public ConfigValidator check(boolean ok, String key, String rule, Object value) {
        if (!ok) problems.add(new ConfigProblem(section + "." + key, rule + ", got " + ConfigValues.show(value)));
        return this;
    }

    /** Records a finished sentence against the key unless {@code ok}. */
    public ConfigValidator require(boolean ok, String key, String message) {
        if (!ok) problems.add(new ConfigProblem(section + "." + key, message));
        return this;
    }

    /** A value that is missing altogether (only possible when a config is built in code). */
    public boolean present(String key, Object value) {
        require(value != null, key, "must be set");
        return value != null;
    }

    public ConfigValidator range(String key, long value, long min, long max) {
        return check(value >= min && value <= max, key, "must be between " + min + " and " + max, value);
    }

    public ConfigValidator ipAddress(String key, String value) {
        if (!present(key, value)) return this;
        return check(isIpLiteral(value), key, "must be an IP address such as 0.0.0.0 or ::", value);
    }

    /** Each entry an IP address or a host name, none twice. */
    public ConfigValidator hostsOrIps(String key, List<String> values) {
        if (!present(key, values)) return this;
        Set<String> seen = new HashSet<>();
        for (String v : values) {
            if (v == null) {
                require(false, key, "must not contain an empty entry");
            } else {
                check(isIpLiteral(v) || isHostName(v), key, "entries must be IP addresses or host names", v);
                check(seen.add(v.toLowerCase(Locale.ROOT)), key, "must not list an address twice", v);
            }
        }
        return this;
    }

    /** An absolute http:// or https:// URL with a host and no query or fragment. */
    public ConfigValidator httpUrl(String key, String value, String example) {
        if (!present(key, value)) return this;
        return check(isHttpUrl(value), key, "must be an http:// or https:// URL such as " + example, value);
    }

    public ConfigValidator matches(String key, String value, Pattern pattern, String rule) {
        if (!present(key, value)) return this;
        return check(pattern.matcher(value).matches(), key, rule, value);
    }

    public List<ConfigProblem> problems() {
        return List.copyOf(problems);
    }

    public void throwIfInvalid() {
        if (!problems.isEmpty()) throw new ConfigException(problems);
    }

    /** An IPv4 or IPv6 literal (IPv6 without brackets, optionally with a %scope); never resolves names. */
    public static boolean isIpLiteral(String value) {
        if (IPV4.matcher(value).matches()) return true;
        if (!value.contains(":") || !IPV6_CHARS.matcher(value).matches()) return false;
        try {
            // Brackets make InetAddress treat the text as an IPv6 literal and fail instead of asking DNS.
            InetAddress.getByName("[" + value + "]");
            return true;
        } catch (UnknownHostException | SecurityException e) {
            return false;
        }
    }

    /** A DNS host name (RFC 1123 labels; a final all-digit label is an IPv4 typo, not a name). */
    public static boolean isHostName(String value) {
        String name = value.endsWith(".") ? value.substring(0, value.length() - 1) : value;
        if (name.isEmpty() || name.length() > MAX_HOST_NAME_CHARS) return false;
        String[] labels = name.split("\\.", -1);
        for (String label : labels) {
            if (!DNS_LABEL.matcher(label).matches()) return false;
        }
        return !ALL_DIGITS.matcher(labels[labels.length - 1]).matches();
    }

    private static boolean isHttpUrl(String value) {
        try {
            URI uri = new URI(value);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            return (scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null
                    && uri.getRawQuery() == null && uri.getRawFragment() == null && uri.getRawUserInfo() == null;
        } catch (URISyntaxException e) {
            return false;
        }
    }
}
