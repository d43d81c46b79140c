package org.conclave.appservice.journal;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Objects;
import java.util.zip.CRC32C;

/**
 * One line of the journal: {@code <crc32c of the JSON, 8 hex digits> <JSON>\n}, the JSON being
 * {@code {"op":"start"|"done"|"txn","key":...[,"note":...]}}. One line per record makes a torn last write easy to
 * recognise and the file readable with a text viewer.
 *
 * @param key unit key for start/done, transaction fingerprint for txn
 * @param note free text kept for people reading the file (done: outcome; txn: the homeserver's txnId); may be null
 */
public record JournalRecord(Op op, String key, String note) {
    public enum Op {
        /** A unit was accepted for processing (durable before the handler sees it). */
        START("start"),
        /** A unit was processed (whatever the handler's outcome). */
        DONE("done"),
        /** Every unit of a transaction was processed; the homeserver may be acknowledged. */
        TXN("txn");

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
    }

    public static JournalRecord start(String unitKey) {
        return new JournalRecord(Op.START, unitKey, null);
    }

    public static JournalRecord done(String unitKey, String outcome) {
        return new JournalRecord(Op.DONE, unitKey, outcome);
    }

    public static JournalRecord txn(String fingerprint, String txnId) {
        return new JournalRecord(Op.TXN, fingerprint, txnId);
    }

    /** The line, newline included. */
    public byte[] encode() {
        JsonObject json = new JsonObject().put("op", op.word).put("key", key);
        if (note != null) json.put("note", note);
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
            if (op == null || !(key instanceof String k) || (note != null && !(note instanceof String))) return null;
            return new JournalRecord(op, k, (String) note);
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
