package org.conclave.tests.homeserver;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/** Small HTTP helpers of the double: replies, JSON bodies, raw path segments, random ids. */
final class Http {
    private static final SecureRandom RANDOM = new SecureRandom();

    private Http() {}

    /** A reply: status and JSON body (an object, or an array for the few endpoints that answer one). */
    record Reply(int status, Object body) {
        static Reply ok(Object body) {
            return new Reply(200, body);
        }

        String encode() {
            return Json.encode(body);
        }
    }

    /** The request body as a JSON object; empty when there is none (Synapse's parse_json_object_from_request). */
    static JsonObject body(RoutingContext ctx) {
        Buffer raw = ctx.body().buffer();
        if (raw == null || raw.length() == 0) return new JsonObject();
        Object value;
        try {
            value = Json.decodeValue(raw);
        } catch (RuntimeException e) {
            throw new MatrixFailure(400, "M_NOT_JSON", "Content not JSON.");
        }
        if (value instanceof JsonObject o) return o;
        throw new MatrixFailure(400, "M_BAD_JSON", "Content must be a JSON object.");
    }

    /** The raw body text (for the log of what crossed the double); "" when none. */
    static String rawBody(RoutingContext ctx) {
        Buffer raw = ctx.body().buffer();
        return raw == null ? "" : raw.toString(StandardCharsets.UTF_8);
    }

    /** Raw path split at '/', each segment percent-decoded ('+' stays '+': this is a path). */
    static List<String> segments(String rawPath) {
        List<String> out = new ArrayList<>();
        String[] parts = rawPath.split("/", -1);
        for (int i = 1; i < parts.length; i++) out.add(percentDecode(parts[i]));
        return out;
    }

    static String percentDecode(String s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            int hex = c == '%' && i + 2 < s.length() ? hexByte(s.substring(i + 1, i + 3)) : -1;
            if (hex >= 0) {
                out.write(hex);
                i += 2;
            } else {
                out.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static int hexByte(String two) {
        try {
            return Integer.parseInt(two, 16);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    static String random(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /** Upper-case letters, like Synapse's device ids. */
    static String deviceId() {
        StringBuilder id = new StringBuilder();
        for (int i = 0; i < 10; i++) id.append((char) ('A' + RANDOM.nextInt(26)));
        return id.toString();
    }

    static MatrixFailure unrecognized() {
        return new MatrixFailure(404, "M_UNRECOGNIZED", "Unrecognized request");
    }

    static MatrixFailure wrongMethod() {
        return new MatrixFailure(405, "M_UNRECOGNIZED", "Unrecognized request");
    }

    static MatrixFailure forbidden(String error) {
        return new MatrixFailure(403, "M_FORBIDDEN", error);
    }

    static MatrixFailure notFound(String error) {
        return new MatrixFailure(404, "M_NOT_FOUND", error);
    }

    static MatrixFailure badJson(String error) {
        return new MatrixFailure(400, "M_BAD_JSON", error);
    }

    static MatrixFailure invalidParam(String error) {
        return new MatrixFailure(400, "M_INVALID_PARAM", error);
    }
}
