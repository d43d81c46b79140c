package org.conclave.appservice.ops.admin;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The configuration the server runs with, section by section and key by key (defaults included), for
 * {@code GET /admin/v1/config}. Secrets (every key whose name holds "token", "secret" or "password") are replaced by
 * {@value #MASK} when set, so the answer can be pasted into a bug report.
 */
public final class EffectiveConfig {
    public static final String MASK = "********";

    private EffectiveConfig() {}

    public static JsonObject masked(Map<String, Map<String, Object>> values) {
        JsonObject out = new JsonObject();
        values.forEach((section, keys) -> {
            JsonObject s = new JsonObject();
            keys.forEach((key, value) -> s.put(key, isSecret(key) ? mask(value) : json(value)));
            out.put(section, s);
        });
        return out;
    }

    static boolean isSecret(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        return k.contains("token") || k.contains("secret") || k.contains("password");
    }

    private static Object mask(Object value) {
        return value == null || "".equals(value) ? "" : MASK;
    }

    private static Object json(Object value) {
        return value instanceof List<?> list ? new JsonArray(List.copyOf(list)) : value;
    }
}
