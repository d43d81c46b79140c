package org.conclave.appservice.journal;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Objects;
import java.util.zip.CRC32C;

/**
 * One line of the journal: {@code <crc32c of the JSON, 8 hex digits> <JSON>\n}, the JSON being
 * {@code {"op":"start"|"done"|"txn"|"range","key":...[,"note":...][,"txn":...,"i":...[,"n":...]]}}. One line per
 * record makes a torn last write easy to recognise and the file readable with a text viewer.
 *
 * @param key unit key for start/done, transaction fingerprint for txn and range
 * @param note free text kept for people reading the file (done: outcome; txn: the homeserver's txnId); may be null
 * @param txn done: the fingerprint of the transaction the unit was handed over for (null in journals written before
 *     it was recorded, and for units done after their transaction finished)
 * @param index done with {@code txn}: the unit's position in that transaction; range: the first position
 * @param count range: how many positions from {@code index} on are done; otherwise 1
 */
public record JournalRecord(Op op, String key, String note, String txn, int index, int count) {
    public enum Op {
        /** A unit was accepted for processing (durable before the handler sees it). */
        START("start"),
        /** A unit was processed (whatever the handler's outcome). */
        DONE("done"),
        /** Every unit of a transaction was processed; the homeserver may be acknowledged. */
        TXN("txn"),
        /**
         * Positions of a transaction not finished yet whose units are done: what a compacted file keeps of the done
         * records of such a transaction, which the dedupe window must not forget.
         */
        RANGE("range");

        final String word;

        Op(String word) {
            this.word = word;
        }

        static Op of(String word) {
            for (Op op : values()) {
                if (op.word.equals(word)) return op;
            }
            return null;
        }
    }

    private static final int CRC_HEX_CHARS = 8;

    public JournalRecord {
        Objects.requireNonNull(op, "op");
        Objects.requireNonNull(key, "key");
        if (index < 0 || count < 1 || (count != 1 && op != Op.RANGE)) {
            throw new IllegalArgumentException(op + ": index " + index + ", count " + count);
        }
    }

    public JournalRecord(Op op, String key, String note) {
        this(op, key, note, null, 0, 1);
    }

    public static JournalRecord start(String unitKey) {
        return new JournalRecord(Op.START, unitKey, null);
    }

    public static JournalRecord done(String unitKey, String outcome) {
        return new JournalRecord(Op.DONE, unitKey, outcome);
    }

    /** Unit {@code index} of transaction {@code fingerprint} (null: none known) is done. */
    public static JournalRecord done(String unitKey, String outcome, String fingerprint, int index) {
        return new JournalRecord(Op.DONE, unitKey, outcome, fingerprint, index, 1);
    }

    /** Units {@code from} to {@code from + count - 1} of the unfinished transaction {@code fingerprint} are done. */
    public static JournalRecord range(String fingerprint, int from, int count) {
        return new JournalRecord(Op.RANGE, fingerprint, null, null, from, count);
    }

    public static JournalRecord txn(String fingerprint, String txnId) {
        return new JournalRecord(Op.TXN, fingerprint, txnId);
    }

    /** The line, newline included. */
    public byte[] encode() {
        JsonObject json = new JsonObject().put("op", op.word).put("key", key);
        if (note != null) json.put("note", note);
        if (txn != null) json.put("txn", txn);
        if (txn != null || op == Op.RANGE) json.put("i", index);
        if (op == Op.RANGE || count != 1) json.put("n", count);
        byte[] body = json.encode().getBytes(StandardCharsets.UTF_8);
        String line = crcHex(body, 0, body.length) + " " + new String(body, StandardCharsets.UTF_8) + "\n";
        return line.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Reads one line without its newline; null if it is not an intact record (bad checksum, not JSON, unknown op).
     */
    public static JournalRecord decode(byte[] buf, int offset, int length) {
        if (length < CRC_HEX_CHARS + 2 || buf[offset + CRC_HEX_CHARS] != ' ') return null;
        int bodyStart = offset + CRC_HEX_CHARS + 1;
        int bodyLength = length - CRC_HEX_CHARS - 1;
        String crc = new String(buf, offset, CRC_HEX_CHARS, StandardCharsets.US_ASCII);
        if (!crc.equals(crcHex(buf, bodyStart, bodyLength))) return null;
        try {
            JsonObject json = new JsonObject(new String(buf, bodyStart, bodyLength, StandardCharsets.UTF_8));
            Op op = json.getValue("op") instanceof String word ? Op.of(word) : null;
            Object key = json.getValue("key");
            Object note = json.getValue("note");
            Object txn = json.getValue("txn");
            boolean positioned = txn != null || op == Op.RANGE;
            if (op == null || !(key instanceof String k) || (note != null && !(note instanceof String))
                    || (txn != null && !(txn instanceof String)) || positioned != json.containsKey("i")
                    || (op == Op.RANGE) != json.containsKey("n")) {
                return null;
            }
            int index = json.containsKey("i") ? json.getInteger("i") : 0;
            int count = json.containsKey("n") ? json.getInteger("n") : 1;
            if (index < 0 || count < 1) return null;
            return new JournalRecord(op, k, (String) note, (String) txn, index, count);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static String crcHex(byte[] buf, int offset, int length) {
        CRC32C crc = new CRC32C();
        crc.update(buf, offset, length);
        return HexFormat.of().toHexDigits((int) crc.getValue());
    }
}
