package org.conclave.appservice.config;

import java.util.List;
import java.util.Locale;
import org.conclave.sfu.config.ConfigSection;
import org.conclave.sfu.config.ConfigSource;
import org.conclave.sfu.config.ConfigValidator;

/**
 * Section {@code logging}: how the console log looks.
 *
 * @param format {@code text} (one human-readable line per event) or {@code json} (one JSON object per line, with the
 *     conference and call ids of every line about a call, for log shippers)
 * @param level the root level: {@code ERROR}, {@code WARN}, {@code INFO}, {@code DEBUG} or {@code TRACE}
 */
public record LoggingConfig(String format, String level) {
    public static final String SECTION = "logging";
    public static final String FORMAT = "format";
    public static final String LEVEL = "level";
    public static final String TEXT = "text";
    public static final String JSON = "json";
    public static final List<String> FORMATS = List.of(TEXT, JSON);
    public static final List<String> LEVELS = List.of("ERROR", "WARN", "INFO", "DEBUG", "TRACE");

    public LoggingConfig {
        ConfigValidator v = new ConfigValidator(SECTION);
        if (v.present(FORMAT, format)) v.check(FORMATS.contains(format), FORMAT, "must be text or json", format);
        if (v.present(LEVEL, level)) {
            v.check(LEVELS.contains(level.toUpperCase(Locale.ROOT)), LEVEL, "must be one of " + String.join(", ", LEVELS),
                    level);
        }
        v.throwIfInvalid();
        level = level.toUpperCase(Locale.ROOT);
    }

    public static LoggingConfig defaults() {
        return new LoggingConfig(TEXT, "INFO");
    }

    public static LoggingConfig read(ConfigSource source) {
        ConfigSection s = source.section(SECTION);
        String format = s.string(FORMAT, TEXT);
        String level = s.string(LEVEL, "INFO");
        return s.build(() -> new LoggingConfig(format, level));
    }

    public boolean json() {
        return JSON.equals(format);
    }
}
