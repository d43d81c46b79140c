package org.conclave.appservice.txn;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.conclave.appservice.config.AppserviceLimits;

/**
 * Decodes transaction bodies into Vert.x JSON (maps, lists and Jackson's number types, as Vert.x's own decoder) without
 * recursion, and so that one hostile event cannot fail a whole transaction: an item of a top-level list (an event, an
 * EDU, a to-device message) nested deeper than {@code appservice.max_event_depth} levels, holding a number longer
 * than {@code appservice.max_number_chars} characters or more than {@code appservice.max_item_values} JSON values is
 * replaced by a marker naming the limit ({@link #leftOut}: not an object, so the parser leaves it out and counts it):
 * what was built of it is dropped at the first value breaking the limit and the rest of it skipped unread. A 400 or 413
 * for the transaction would make the homeserver retry it for ever and hold back every later event. Jackson's own
 * default limits (1000 levels, 50000-character names, 1000-digit numbers, 20 M-character strings) are lifted to what
 * the body limit allows, for the same reason; nesting stays bounded ({@code appservice.max_transaction_depth}, the body
 * is refused beyond it) because the parser keeps one context per level. So does the tree: values are counted as they
 * are built (one int, in this same pass; a skipped subtree and a left-out item count as one), and the body is refused
 * at the first value beyond {@code appservice.max_transaction_values}, so no body builds more than that many. That
 * limit is above 300 items of {@code max_item_values} each (validated): it refuses only bodies no homeserver sends.
 */
final class TransactionJson {
    static final int ITEM_DEPTH = 3;
    /** The markers: this class's own instances, told apart by identity from any string a body could hold. */
    private static final String LEFT_OUT_DEEP = new String("(left out: nested deeper than appservice."
            + TransactionLimit.MAX_EVENT_DEPTH.key() + ")");
    private static final String LEFT_OUT_NUMBER = new String("(left out: a number longer than appservice."
            + TransactionLimit.MAX_NUMBER_CHARS.key() + ")");
    private static final String LEFT_OUT_VALUES = new String("(left out: more values than appservice."
            + TransactionLimit.MAX_ITEM_VALUES.key() + ")");

    private final JsonFactory factory;
    private final int maxEventDepth;
    private final int maxNumberChars;
    private final int maxTransactionDepth;
    private final int maxItemValues;
    private final int maxValues;
    /** Values the tree being decoded holds (an item left out counts as one). */
    private int values;
    /** The most {@link #values} the last {@link #decode} held at once, up to the first one beyond the limit. */
    private int peak;

    /**
     * Thrown when the body exceeds a limit that refuses it whole: {@code appservice.max_transaction_depth} or
     * {@code appservice.max_transaction_values}.
     */
    static final class Refused extends DecodeException {
        private final TransactionLimit limit;

        Refused(TransactionLimit limit, String message) {
            super(message);
            this.limit = limit;
        }

        TransactionLimit limit() {
            return limit;
        }
    }

    TransactionJson(AppserviceLimits limits) {
        this(limits.maxEventDepth(), limits.maxTransactionDepth(), limits.maxNumberChars(), limits.maxItemValues(),
                limits.maxTransactionValues());
    }

    /** Unvalidated limits, for tests and fuzzers that need them smaller than an operator may set them. */
    TransactionJson(int maxEventDepth, int maxTransactionDepth, int maxNumberChars, int maxItemValues,
            int maxValues) {
        this.factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(maxTransactionDepth)
                        .maxNameLength(Integer.MAX_VALUE)
                        .maxNumberLength(Integer.MAX_VALUE)
                        .maxStringLength(Integer.MAX_VALUE)
                        .build())
                .build();
        this.maxEventDepth = maxEventDepth;
        this.maxNumberChars = maxNumberChars;
        this.maxTransactionDepth = maxTransactionDepth;
        this.maxItemValues = maxItemValues;
        this.maxValues = maxValues;
    }

    /**
     * The most values the last {@link #decode} built at once (a subtree skipped unread counts as one, an item left out
     * as one once dropped), up to the limit plus one.
     */
    int values() {
        return peak;
    }

    /** The limit an item was left out for, when {@code item} is one of the markers; else null. */
    static TransactionLimit leftOut(Object item) {
        if (item == LEFT_OUT_DEEP) return TransactionLimit.MAX_EVENT_DEPTH;
        if (item == LEFT_OUT_NUMBER) return TransactionLimit.MAX_NUMBER_CHARS;
        if (item == LEFT_OUT_VALUES) return TransactionLimit.MAX_ITEM_VALUES;
        return null;
    }

    /** One object or list being filled. */
    private static final class Frame {
        final Map<String, Object> object;
        final List<Object> list;
        String key;

        Frame(boolean isObject) {
            // Capacity 2, not the default 16: a one-key object's table is 24 bytes, not 80; objects are most of a
            // hostile tree (docs/reliability.md), and bigger ones pay a few resizes.
            this.object = isObject ? new LinkedHashMap<>(2) : null;
            this.list = isObject ? null : new ArrayList<>();
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
     * The body's JSON value; {@link Refused} when it is nested deeper than {@code appservice.max_transaction_depth} or
     * holds more values than {@code appservice.max_transaction_values}, {@link DecodeException} when it is not one
     * JSON value (whichever comes first in the body).
     */
    Object decode(Buffer body) {
        values = 0;
        peak = 0;
        try (JsonParser p = parser(body)) {
            if (p.nextToken() == null) throw new DecodeException("empty");
            Object root = read(p);
            if (p.nextToken() != null) throw new DecodeException("trailing data after the JSON value");
            return root;
        } catch (StreamConstraintsException e) {
            throw new Refused(TransactionLimit.MAX_TRANSACTION_DEPTH, "the body is nested deeper than appservice."
                    + TransactionLimit.MAX_TRANSACTION_DEPTH.key() + " (" + maxTransactionDepth + " levels)");
        } catch (IOException e) {
            throw new DecodeException("not JSON: " + e.getClass().getSimpleName());
        }
    }

    /**
     * A parser over the body's own bytes: {@code getBytes()} would copy them, one more body's size of heap (32 MiB at
     * {@code max_transaction_kib}'s default) for as long as the tree is built. A heap buffer (what the HTTP server
     * aggregates a body into) is read in place; any other through a stream over it.
     */
    private JsonParser parser(Buffer body) throws IOException {
        if (!(body instanceof BufferInternal internal)) return factory.createParser(body.getBytes());
        ByteBuf bytes = internal.getByteBuf(); // a view of the same memory, not a copy
        if (bytes.hasArray()) {
            return factory.createParser(bytes.array(), bytes.arrayOffset() + bytes.readerIndex(),
                    bytes.readableBytes());
        }
        return factory.createParser((InputStream) new ByteBufInputStream(bytes));
    }

    /** @see #decode; levels count from the body's object down (1 the body, 2 a list, 3 an item, 4 its content...) */
    private Object read(JsonParser p) throws IOException {
        ArrayDeque<Frame> stack = new ArrayDeque<>();
        int itemStart = 0; // the values built before the item being read
        for (JsonToken t = p.currentToken(); ; t = p.nextToken()) {
            if (t == null) throw new DecodeException("truncated");
            if (t == JsonToken.FIELD_NAME) {
                stack.peek().key = p.currentName();
                continue;
            }
            Object value;
            if (t == JsonToken.END_OBJECT || t == JsonToken.END_ARRAY) {
                value = stack.pop().value();
            } else {
                count();
                int depth = stack.size() + 1;
                if (depth == ITEM_DEPTH) itemStart = values - 1;
                if (depth > ITEM_DEPTH && values - itemStart > maxItemValues) {
                    value = leaveOut(p, stack, itemStart, LEFT_OUT_VALUES);
                } else if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
                    if (depth <= maxEventDepth) {
                        stack.push(new Frame(t == JsonToken.START_OBJECT));
                        continue;
                    }
                    value = leaveOut(p, stack, itemStart, LEFT_OUT_DEEP);
                } else if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
                    value = p.getTextLength() > maxNumberChars ? leaveOut(p, stack, itemStart, LEFT_OUT_NUMBER)
                            : p.getNumberValue();
                } else {
                    value = scalar(p, t);
                }
            }
            if (stack.isEmpty()) return value;
            stack.peek().add(value);
        }
    }

    /** One more value built; {@link Refused} beyond {@code appservice.max_transaction_values}. */
    private void count() {
        peak = Math.max(peak, ++values);
        if (values > maxValues) {
            throw new Refused(TransactionLimit.MAX_TRANSACTION_VALUES, "the body holds more JSON values than"
                    + " appservice." + TransactionLimit.MAX_TRANSACTION_VALUES.key() + " (" + maxValues + ")");
        }
    }

    private static Object scalar(JsonParser p, JsonToken t) throws IOException {
        return switch (t) {
            case VALUE_STRING -> p.getText();
            case VALUE_TRUE -> Boolean.TRUE;
            case VALUE_FALSE -> Boolean.FALSE;
            case VALUE_NULL -> null;
            default -> throw new DecodeException("unexpected token " + t);
        };
    }

    /**
     * Stops building the item the current token is in: drops what was built of it, skips the rest of it unread (the
     * parser keeps no more than its nesting) and returns the marker that stands for it, counted as one value. Above
     * the items' level the marker stands for the current value itself.
     */
    private Object leaveOut(JsonParser p, ArrayDeque<Frame> stack, int itemStart, String marker) throws IOException {
        p.skipChildren(); // the current token's own subtree, if it opens one
        int open = 0;
        while (stack.size() >= ITEM_DEPTH) { // the item and the levels open in it
            stack.pop();
            open++;
        }
        while (open > 0) {
            JsonToken t = p.nextToken();
            if (t == null) throw new DecodeException("truncated");
            if (t.isStructStart()) p.skipChildren();
            else if (t.isStructEnd()) open--;
        }
        if (stack.size() == ITEM_DEPTH - 1) values = itemStart + 1;
        return marker;
    }
}
