package org.conclave.appservice.txn;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decodes transaction bodies into Vert.x JSON (maps, lists and Jackson's number types, as Vert.x's own decoder) without
 * recursion, and so that one hostile event cannot fail a whole transaction: an item of a top-level list (an event, an
 * EDU, a to-device message) nested deeper than {@code appservice.max_event_depth} levels, or holding a number longer
 * than {@value #MAX_NUMBER_CHARS} characters, is replaced by {@link #LEFT_OUT} (not an object, so the parser leaves it out
 * and counts it) and its subtree is skipped unread. A 400 for the transaction would make the homeserver retry it for
 * ever and hold back every later event. Jackson's own default limits (1000 levels, 50000-character names, 1000-digit
 * numbers, 20 M-character strings) are lifted to what the body limit allows, for the same reason; nesting stays bounded
 * ({@value #MAX_PARSER_DEPTH}) because the parser keeps one context per level.
 */
final class TransactionJson {
    static final int ITEM_DEPTH = 3;
    /** A long needs 20 characters and a double 25; longer numbers are not worth parsing (BigInteger is quadratic). */
    static final int MAX_NUMBER_CHARS = 100;
    /** Deeper than any spec-sized event (64 KiB holds at most 32768 levels): beyond it the body is refused. */
    static final int MAX_PARSER_DEPTH = 100_000;
    static final String LEFT_OUT = "(left out: nested too deep or a number longer than " + MAX_NUMBER_CHARS
            + " characters)";

    private static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(MAX_PARSER_DEPTH)
                    .maxNameLength(Integer.MAX_VALUE)
                    .maxNumberLength(Integer.MAX_VALUE)
                    .maxStringLength(Integer.MAX_VALUE)
                    .build())
            .build();

    private TransactionJson() {}

    /** One object or list being filled. */
    private static final class Frame {
        final Map<String, Object> object;
        final List<Object> list;
        final int depth;
        String key;
        boolean leftOut;

        Frame(boolean isObject, int depth) {
            this.object = isObject ? new LinkedHashMap<>() : null;
            this.list = isObject ? null : new ArrayList<>();
            this.depth = depth;
        }

        void add(Object value) {
            if (object != null) object.put(key, value);
            else list.add(value);
        }

        Object value() {
            return object != null ? new JsonObject(object) : new JsonArray(list);
        }
    }

    /**
     * The body's JSON value; {@link DecodeException} when it is not one JSON value.
     *
     * @param maxDepth levels from the body's object down (1 the body, 2 a list, 3 an item, 4 its content...)
     */
    static Object decode(Buffer body, int maxDepth) {
        try (JsonParser p = FACTORY.createParser(body.getBytes())) {
            if (p.nextToken() == null) throw new DecodeException("empty");
            Object root = read(p, maxDepth);
            if (p.nextToken() != null) throw new DecodeException("trailing data after the JSON value");
            return root;
        } catch (IOException e) {
            throw new DecodeException("not JSON: " + e.getClass().getSimpleName());
        }
    }

    private static Object read(JsonParser p, int maxDepth) throws IOException {
        ArrayDeque<Frame> stack = new ArrayDeque<>();
        for (JsonToken t = p.currentToken(); ; t = p.nextToken()) {
            if (t == null) throw new DecodeException("truncated");
            Object value;
            switch (t) {
                case FIELD_NAME -> {
                    stack.peek().key = p.currentName();
                    continue;
                }
                case START_OBJECT, START_ARRAY -> {
                    int depth = stack.size() + 1;
                    if (depth <= maxDepth) {
                        stack.push(new Frame(t == JsonToken.START_OBJECT, depth));
                        continue;
                    }
                    p.skipChildren();
                    value = leaveOut(stack);
                }
                case END_OBJECT, END_ARRAY -> {
                    Frame done = stack.pop();
                    value = done.leftOut ? LEFT_OUT : done.value();
                }
                case VALUE_STRING -> value = p.getText();
                case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT ->
                    value = p.getTextLength() > MAX_NUMBER_CHARS ? leaveOut(stack) : p.getNumberValue();
                case VALUE_TRUE -> value = Boolean.TRUE;
                case VALUE_FALSE -> value = Boolean.FALSE;
                case VALUE_NULL -> value = null;
                default -> throw new DecodeException("unexpected token " + t);
            }
            if (stack.isEmpty()) return value;
            stack.peek().add(value);
        }
    }

    /**
     * Marks the item holding the current value as left out, or, above the items' level, stands in for the value
     * itself.
     */
    private static Object leaveOut(ArrayDeque<Frame> stack) {
        for (Frame f : stack) {
            if (f.depth == ITEM_DEPTH) {
                f.leftOut = true;
                return null; // discarded with the item
            }
        }
        return LEFT_OUT;
    }
}
