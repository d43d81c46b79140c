package org.conclave.appservice.txn;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.conclave.appservice.config.AppserviceLimits;

/**
 * Reads {@code PUT /transactions/{txnId}} bodies (untrusted bytes). A body that is not JSON, not an object, or whose
 * top-level lists have the wrong type is rejected ({@link TransactionException}); a single unusable item inside a list
 * is left out and counted instead, because rejecting the transaction would make the homeserver retry it for ever and
 * hold back everything behind it. An item nested too deeply or holding too long a number is such an unusable item
 * ({@link TransactionJson}), counted by the limit it broke.
 */
public final class TransactionParser {
    public static final int MAX_TXN_ID_CHARS = 1024;
    /**
     * The spec's bound ("Event IDs": at most 255 bytes, sigil and domain included). An event id is a journal key:
     * with it the journal's longest line stays far below {@code JournalReader.MAX_LINE_BYTES}, which would read a
     * longer one as damage and cut the journal there.
     */
    public static final int MAX_EVENT_ID_BYTES = 255;
    static final String EVENTS = "events";
    /** Stable since spec v1.13; the unstable MSC2409 name is used by older homeservers. */
    static final List<String> EPHEMERAL_KEYS = List.of("ephemeral", "de.sorunome.msc2409.ephemeral");
    static final List<String> TO_DEVICE_KEYS = List.of("to_device", "de.sorunome.msc2409.to_device");
    /** MSC3202 (device lists, key counts for appservice E2EE): accepted and checked, not used by Conclave. */
    static final List<String> OBJECT_KEYS = List.of("device_lists", "org.matrix.msc3202.device_lists",
            "device_one_time_keys_count", "org.matrix.msc3202.device_one_time_keys_count",
            "device_unused_fallback_key_types", "org.matrix.msc3202.device_unused_fallback_key_types");
    /** Queue of a sender's to-device messages: the prefix cannot start a room id ({@code !...}). */
    static final String TO_DEVICE_QUEUE = "to-device ";
    /** 128 bits of SHA-256: collisions between transactions are not a practical concern. */
    private static final int FINGERPRINT_BYTES = 16;

    private TransactionParser() {}

    /** With {@link AppserviceLimits#DEFAULTS}: for tests and fuzzers. */
    public static Transaction parse(String txnId, Buffer body) throws TransactionException {
        return parse(txnId, body, AppserviceLimits.DEFAULTS);
    }

    /**
     * @param limits an item nested deeper than {@code max_event_depth} or with a number longer than
     *     {@code max_number_chars} is left out unread; a body deeper than {@code max_transaction_depth} or with more
     *     values than {@code max_transaction_values} is refused
     */
    public static Transaction parse(String txnId, Buffer body, AppserviceLimits limits) throws TransactionException {
        if (txnId == null || txnId.isEmpty() || txnId.length() > MAX_TXN_ID_CHARS) {
            throw new TransactionException(TransactionException.INVALID_PARAM,
                    "transaction id must be 1 to " + MAX_TXN_ID_CHARS + " characters");
        }
        if (body == null || body.length() == 0) {
            throw new TransactionException(TransactionException.NOT_JSON, "missing request body");
        }
        Object root;
        try {
            root = new TransactionJson(limits).decode(body);
        } catch (TransactionJson.Refused e) {
            // Too many values is a size, like max_transaction_kib (413); too deep a shape, like other bad JSON (400).
            String errcode = e.limit() == TransactionLimit.MAX_TRANSACTION_VALUES ? TransactionException.TOO_LARGE
                    : TransactionException.BAD_JSON;
            throw new TransactionException(errcode, e.getMessage() + "; this transaction is refused whole", e.limit());
        } catch (DecodeException | IllegalArgumentException | IllegalStateException e) {
            throw new TransactionException(TransactionException.NOT_JSON, "body is not valid JSON");
        }
        if (!(root instanceof JsonObject txn)) {
            throw new TransactionException(TransactionException.BAD_JSON, "body must be a JSON object");
        }
        JsonArray events = array(txn, EVENTS);
        if (events == null) throw new TransactionException(TransactionException.BAD_JSON, "events must be a list");
        JsonArray ephemeral = firstArray(txn, EPHEMERAL_KEYS);
        JsonArray toDevice = firstArray(txn, TO_DEVICE_KEYS);
        for (String key : OBJECT_KEYS) {
            if (txn.containsKey(key) && !(txn.getValue(key) instanceof JsonObject)) {
                throw new TransactionException(TransactionException.BAD_JSON, key + " must be an object");
            }
        }

        MessageDigest digest = sha256();
        update(digest, "conclave-txn-v1");
        update(digest, txnId);
        int skipped = 0;
        Map<TransactionLimit, Integer> leftOut = new EnumMap<>(TransactionLimit.class);
        List<JsonObject> roomEvents = new ArrayList<>();
        Set<String> seenIds = new HashSet<>();
        for (Object item : events) {
            if (item instanceof JsonObject event && isRoomEvent(event) && seenIds.add(event.getString("event_id"))) {
                roomEvents.add(event);
                update(digest, "e:" + event.getString("event_id"));
            } else {
                skipped++;
                countLeftOut(item, leftOut);
            }
        }
        List<JsonObject> edus = new ArrayList<>();
        skipped += collect(ephemeral, edus, digest, "eph:", false, leftOut);
        List<JsonObject> messages = new ArrayList<>();
        skipped += collect(toDevice, messages, digest, "td:", true, leftOut);
        for (String key : OBJECT_KEYS) {
            if (txn.getValue(key) instanceof JsonObject value) update(digest, key + "=" + value.encode());
        }
        String fingerprint = HexFormat.of().formatHex(digest.digest(), 0, FINGERPRINT_BYTES);

        List<Unit> units = new UnitList(fingerprint, roomEvents, edus, messages);
        return new Transaction(txnId, fingerprint, units, skipped, leftOut);
    }

    /**
     * The fields every handler relies on, an event id the spec allows; {@code content} may be missing (redacted
     * events) but not of another type.
     */
    static boolean isRoomEvent(JsonObject event) {
        return nonEmptyString(event, "event_id") && utf8Bytes(event.getString("event_id")) <= MAX_EVENT_ID_BYTES
                && nonEmptyString(event, "room_id") && nonEmptyString(event, "type")
                && nonEmptyString(event, "sender")
                && (!event.containsKey("state_key") || event.getValue("state_key") instanceof String)
                && (!event.containsKey("content") || event.getValue("content") instanceof JsonObject);
    }

    private static void countLeftOut(Object item, Map<TransactionLimit, Integer> leftOut) {
        TransactionLimit limit = TransactionJson.leftOut(item);
        if (limit != null) leftOut.merge(limit, 1, Integer::sum);
    }

    private static int collect(JsonArray items, List<JsonObject> out, MessageDigest digest, String tag,
            boolean toDevice, Map<TransactionLimit, Integer> leftOut) {
        if (items == null) return 0;
        int skipped = 0;
        for (Object item : items) {
            boolean usable = item instanceof JsonObject o && nonEmptyString(o, "type")
                    && (!o.containsKey("content") || o.getValue("content") instanceof JsonObject)
                    && (!toDevice || nonEmptyString(o, "to_user_id") && nonEmptyString(o, "to_device_id"));
            if (!usable) {
                skipped++;
                countLeftOut(item, leftOut);
                continue;
            }
            JsonObject o = (JsonObject) item;
            out.add(o);
            JsonObject stable = o.copy();
            stable.remove("unsigned");
            update(digest, tag + stable.encode());
        }
        return skipped;
    }

    private static JsonArray firstArray(JsonObject txn, List<String> keys) throws TransactionException {
        for (String key : keys) {
            if (!txn.containsKey(key) || txn.getValue(key) == null) continue;
            JsonArray value = array(txn, key);
            if (value == null) throw new TransactionException(TransactionException.BAD_JSON, key + " must be a list");
            return value;
        }
        return null;
    }

    private static JsonArray array(JsonObject txn, String key) {
        return txn.getValue(key) instanceof JsonArray a ? a : null;
    }

    private static boolean nonEmptyString(JsonObject o, String key) {
        return o.getValue(key) instanceof String s && !s.isEmpty();
    }

    /** UTF-8 length, or more than 255 when it is obviously longer (a char is at least one byte). */
    private static int utf8Bytes(String s) {
        return s.length() > MAX_EVENT_ID_BYTES ? s.length() : s.getBytes(StandardCharsets.UTF_8).length;
    }

    private static void update(MessageDigest digest, String part) {
        byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
        // Length-prefixed so that no two different part lists hash the same input.
        digest.update(new byte[] {(byte) (bytes.length >>> 24), (byte) (bytes.length >>> 16),
                (byte) (bytes.length >>> 8), (byte) bytes.length});
        digest.update(bytes);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
