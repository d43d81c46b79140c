package org.conclave.keyexchange.check;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import org.conclave.keyexchange.keys.MediaKey;

/**
 * The secure check code participants read to each other: 6 decimal digits, shown as "123 456", derived from the call's
 * room, every participant's identity and the media key each one currently sends with. Anyone holding a different key
 * for someone (a substituted key, a stale rotation) sees a different code with probability 1 - 10^-6.
 *
 * <p>Derivation (identical in {@code js/keys.mjs}):
 * <pre>
 * entry(p)  = str(user_id) || str(device_id) || u8(key index) || bytes(key)
 * input     = "conclave check code v1" || str(room_id) || u32(count) || entries sorted by unsigned byte order
 * digest    = SHA-256(input)
 * code      = first 8 bytes of digest as unsigned 64-bit big-endian, mod 10^6, zero-padded to 6 digits
 * </pre>
 * where str(s) = u32 BE length || UTF-8 bytes and bytes(b) = u32 BE length || b. Sorting the encoded entries makes
 * the code independent of the order participants are listed in; length prefixes make the encoding unambiguous.
 */
public final class CheckCode {
    public static final int DIGITS = 6;
    private static final long MODULUS = 1_000_000L;
    private static final byte[] LABEL = "conclave check code v1".getBytes(StandardCharsets.US_ASCII);

    /** One participant as everyone else sees it. */
    public record Participant(String userId, String deviceId, int keyIndex, byte[] key) {
        public Participant {
            if (keyIndex < 0 || keyIndex > 255) {
                throw new IllegalArgumentException("key index must be 0..255");
            }
            key = key.clone();
        }

        /** A participant and the media key it currently sends with. */
        public static Participant of(String userId, String deviceId, MediaKey key) {
            return new Participant(userId, deviceId, key.index(), key.key());
        }
    }

    private final String digits;

    private CheckCode(String digits) {
        this.digits = digits;
    }

    /** The code for a call in {@code roomId} with these participants (the local one included). */
    public static CheckCode compute(String roomId, Collection<Participant> participants) {
        List<byte[]> entries = new ArrayList<>(participants.size());
        for (Participant p : participants) {
            ByteArrayOutputStream entry = new ByteArrayOutputStream();
            writeString(entry, p.userId());
            writeString(entry, p.deviceId());
            entry.write(p.keyIndex());
            writeBytes(entry, p.key());
            entries.add(entry.toByteArray());
        }
        entries.sort(Arrays::compareUnsigned);
        for (int i = 1; i < entries.size(); i++) {
            if (Arrays.equals(entries.get(i - 1), entries.get(i))) {
                throw new IllegalArgumentException("a participant is listed twice");
            }
        }
        MessageDigest sha256 = sha256();
        sha256.update(LABEL);
        sha256.update(lengthPrefixed(roomId.getBytes(StandardCharsets.UTF_8)));
        sha256.update(u32(entries.size()));
        entries.forEach(sha256::update);
        byte[] digest = sha256.digest();
        long head = 0;
        for (int i = 0; i < Long.BYTES; i++) {
            head = (head << 8) | (digest[i] & 0xFF);
        }
        String value = Long.toString(Long.remainderUnsigned(head, MODULUS));
        return new CheckCode("0".repeat(DIGITS - value.length()) + value);
    }

    /** The six digits, e.g. "042917". */
    public String digits() {
        return digits;
    }

    /** For display: "042 917". */
    @Override
    public String toString() {
        return digits.substring(0, 3) + " " + digits.substring(3);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CheckCode other && other.digits.equals(digits);
    }

    @Override
    public int hashCode() {
        return digits.hashCode();
    }

    private static void writeString(ByteArrayOutputStream out, String s) {
        writeBytes(out, s.getBytes(StandardCharsets.UTF_8));
    }

    private static void writeBytes(ByteArrayOutputStream out, byte[] b) {
        out.writeBytes(lengthPrefixed(b));
    }

    private static byte[] lengthPrefixed(byte[] b) {
        byte[] out = new byte[4 + b.length];
        System.arraycopy(u32(b.length), 0, out, 0, 4);
        System.arraycopy(b, 0, out, 4, b.length);
        return out;
    }

    private static byte[] u32(int v) {
        return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("JCE lacks SHA-256", e);
        }
    }
}
