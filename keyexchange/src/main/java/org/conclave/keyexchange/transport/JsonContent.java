package org.conclave.keyexchange.transport;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Base64;
import org.conclave.keyexchange.keys.MediaKey;

/** Strict reading and plain writing of event contents: every failure becomes {@link KeyTransportException.Malformed}. */
final class JsonContent {
    /** Matrix events are at most 64 KiB; anything longer is not an event content. */
    static final int MAX_CONTENT_CHARS = 65_536;
    private static final int MAX_NESTING = 32;

    static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxNestingDepth(MAX_NESTING).maxStringLength(MAX_CONTENT_CHARS).build())
                    .build())
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private JsonContent() {
    }

    static JsonNode parse(String json, String what) throws KeyTransportException.Malformed {
        if (json == null) {
            throw new KeyTransportException.Malformed(what + " is missing");
        }
        if (json.length() > MAX_CONTENT_CHARS) {
            throw new KeyTransportException.Malformed(what + " is longer than " + MAX_CONTENT_CHARS + " characters");
        }
        try {
            JsonNode node = MAPPER.readTree(json);
            if (node == null || node.isMissingNode()) {
                throw new KeyTransportException.Malformed(what + " is empty");
            }
            return node;
        } catch (JacksonException e) {
            throw new KeyTransportException.Malformed(what + " is not valid JSON: " + e.getOriginalMessage());
        }
    }

    static JsonNode parseObject(String json, String what) throws KeyTransportException.Malformed {
        JsonNode node = parse(json, what);
        if (!node.isObject()) {
            throw new KeyTransportException.Malformed(what + " is not a JSON object");
        }
        return node;
    }

    static JsonNode object(JsonNode parent, String field) throws KeyTransportException.Malformed {
        JsonNode node = parent.get(field);
        if (node == null || !node.isObject()) {
            throw new KeyTransportException.Malformed("'" + field + "' must be an object");
        }
        return node;
    }

    static String string(JsonNode parent, String field) throws KeyTransportException.Malformed {
        JsonNode node = parent.get(field);
        if (node == null || !node.isTextual()) {
            throw new KeyTransportException.Malformed("'" + field + "' must be a string");
        }
        return node.textValue();
    }

    static String optionalString(JsonNode parent, String field, String absent) throws KeyTransportException.Malformed {
        return parent.has(field) ? string(parent, field) : absent;
    }

    static long optionalLong(JsonNode parent, String field, long absent) throws KeyTransportException.Malformed {
        JsonNode node = parent.get(field);
        if (node == null) {
            return absent;
        }
        if (!node.isIntegralNumber() || !node.canConvertToLong()) {
            throw new KeyTransportException.Malformed("'" + field + "' must be an integer");
        }
        return node.longValue();
    }

    /** A {@code {index, key}} object: index 0..255, key base64 (padding optional) of an accepted length. */
    static MediaKey mediaKey(JsonNode node) throws KeyTransportException.Malformed {
        if (node == null || !node.isObject()) {
            throw new KeyTransportException.Malformed("a media key must be an object {index, key}");
        }
        JsonNode index = node.get("index");
        if (index == null || !index.isIntegralNumber() || !index.canConvertToInt()
                || index.intValue() < 0 || index.intValue() >= MediaKey.INDEX_COUNT) {
            throw new KeyTransportException.Malformed("'index' must be an integer 0.." + (MediaKey.INDEX_COUNT - 1));
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(string(node, "key"));
        } catch (IllegalArgumentException e) {
            throw new KeyTransportException.Malformed("'key' is not base64");
        }
        if (bytes.length < MediaKey.MIN_LENGTH || bytes.length > MediaKey.MAX_LENGTH) {
            throw new KeyTransportException.Malformed("'key' must decode to " + MediaKey.MIN_LENGTH + ".."
                    + MediaKey.MAX_LENGTH + " bytes, got " + bytes.length);
        }
        return new MediaKey(index.intValue(), bytes);
    }

    static ObjectNode mediaKeyNode(MediaKey key) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("index", key.index());
        node.put("key", unpaddedBase64(key.key()));
        return node;
    }

    /** Matrix's unpadded base64 (standard alphabet, no '='). */
    static String unpaddedBase64(byte[] bytes) {
        return Base64.getEncoder().withoutPadding().encodeToString(bytes);
    }

    static String write(ObjectNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JacksonException e) {
            throw new IllegalStateException("cannot write a JSON tree", e);
        }
    }
}
