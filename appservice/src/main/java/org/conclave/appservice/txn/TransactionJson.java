package org.conclave.appservice.txn;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
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
import org.conclave.appservice.config.AppserviceLimits;

/**
 * Decodes transaction bodies into Vert.x JSON (maps, lists and Jackson's number types, as Vert.x's own decoder) without
 * recursion, and so that one hostile event cannot fail a whole transaction: an item of a top-level list (an event, an
 * EDU, a to-device message) nested deeper than {@code appservice.max_event_depth} levels, or holding a number longer
 * than {@code appservice.max_number_chars} characters, is replaced by a marker naming the limit ({@link #leftOut}: not
 * an object, so the parser leaves it out and counts it) and its subtree is skipped unread. A 400 for the transaction
 * would make the homeserver retry it for ever and hold back every later event. Jackson's own default limits (1000
 * levels, 50000-character names, 1000-digit numbers, 20 M-character strings) are lifted to what the body limit allows,
 * for the same reason; nesting stays bounded ({@code appservice.max_transaction_depth}, the body is refused beyond it)
 * because the parser keeps one context per level. So does the tree: values are counted as they are read (one int, in
 * this same pass), and the body is refused at the first value beyond {@code appservice.max_transaction_values}, so no
 * body builds more than that many (a skipped subtree counts as one: it builds nothing).
 */
final class TransactionJson {
    static final int ITEM_DEPTH = 3;
    /** The markers: this class's own instances, told apart by identity from any string a body could hold. */
    private static final String LEFT_OUT_DEEP = new String("(left out: nested deeper than appservice."
            + TransactionLimit.MAX_EVENT_DEPTH.key() + ")");
    private static final String LEFT_OUT_NUMBER = new String("(left out: a number longer than appservice."
            + TransactionLimit.MAX_NUMBER_CHARS.key() + ")");

    private final JsonFactory factory;
    private final int maxEventDepth;
    private final int maxNumberChars;
    private final int maxTransactionDepth;
    private final int maxValues;
    /** Values read by the last {@link #decode}, up to the first one beyond the limit. */
    private int values;

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
        this(limits.maxEventDepth(), limits.maxTransactionDepth(), limits.maxNumberChars(),
                limits.maxTransactionValues());
    }

    /** Unvalidated limits, for tests and fuzzers that need them smaller than an operator may set them. */
    TransactionJson(int maxEventDepth, int maxTransactionDepth, int maxNumberChars, int maxValues) {
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
        this.maxValues = maxValues;
    }

    /** The values the last {@link #decode} read (a skipped subtree counts as one), up to the limit plus one. */
    int values() {
        return values;
    }

    /** The limit an item was left out for, when {@code item} is one of the markers; else null. */
    static TransactionLimit leftOut(Object item) {
        if (item == LEFT_OUT_DEEP) return TransactionLimit.MAX_EVENT_DEPTH;
        if (item == LEFT_OUT_NUMBER) return TransactionLimit.MAX_NUMBER_CHARS;
        return null;
    }

    /** One object or list being filled. */
    private static final class Frame {
        final Map<String, Object> object;
        final List<Object> list;
        final int depth;
        String key;
        /** The marker this object or list is replaced by, null while it is kept. */
        String leftOut;

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
     * The body's JSON value; {@link Refused} when it is nested deeper than {@code appservice.max_transaction_depth} or
     * holds more values than {@code appservice.max_transaction_values}, {@link DecodeException} when it is not one
     * JSON value (whichever comes first in the body).
     */
    Object decode(Buffer body) {
        values = 0;
        try (JsonParser p = factory.createParser(body.getBytes())) {
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

    /** @see #decode; levels count from the body's object down (1 the body, 2 a list, 3 an item, 4 its content...) */
    private Object read(JsonParser p) throws IOException {
        ArrayDeque<Frame> stack = new ArrayDeque<>();
        for (JsonToken t = p.currentToken(); ; t = p.nextToken()) {
            if (t == null) throw new DecodeException("truncated");
            if (t == JsonToken.FIELD_NAME) {
                stack.peek().key = p.currentName();
                continue;
            }
            if (t != JsonToken.END_OBJECT && t != JsonToken.END_ARRAY && ++values > maxValues) {
                throw new Refused(TransactionLimit.MAX_TRANSACTION_VALUES, "the body holds more JSON values than"
                        + " appservice." + TransactionLimit.MAX_TRANSACTION_VALUES.key() + " (" + maxValues + ")");
            }
            Object value;
            switch (t) {
                case START_OBJECT, START_ARRAY -> {
                    int depth = stack.size() + 1;
                    if (depth <= maxEventDepth) {
                        stack.push(new Frame(t == JsonToken.START_OBJECT, depth));
                        continue;
                    }
                    p.skipChildren();
                    value = leaveOut(stack, LEFT_OUT_DEEP);
                }
                case END_OBJECT, END_ARRAY -> {
                    Frame done = stack.pop();
                    value = done.leftOut != null ? done.leftOut : done.value();
                }
                case VALUE_STRING -> value = p.getText();
                case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT ->
                    value = p.getTextLength() > maxNumberChars ? leaveOut(stack, LEFT_OUT_NUMBER) : p.getNumberValue();
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
    private static Object leaveOut(ArrayDeque<Frame> stack, String marker) {
        for (Frame f : stack) {
            if (f.depth == ITEM_DEPTH) {
                if (f.leftOut == null) f.leftOut = marker; // the first limit the item broke names it
                return null; // discarded with the item
            }
        }
        return marker;
    }
}
