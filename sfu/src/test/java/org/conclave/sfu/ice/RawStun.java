package org.conclave.sfu.ice;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import javax.crypto.Mac;

/** Builds STUN messages attribute by attribute for test tables, including ones our writers never produce. */
final class RawStun {
    static final byte[] TX = HexFormat.of().parseHex("b7e7a701bc34d686fa87dfae");

    private final ByteArrayOutputStream body = new ByteArrayOutputStream();
    private final int type;

    private RawStun(int type) {
        this.type = type;
    }

    static RawStun of(int type) {
        return new RawStun(type);
    }

    static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replaceAll("\\s", ""));
    }

    RawStun attr(int attrType, byte[] value) {
        body.write(attrType >>> 8);
        body.write(attrType);
        body.write(value.length >>> 8);
        body.write(value.length);
        body.writeBytes(value);
        for (int i = value.length; (i & 3) != 0; i++) body.write(0);
        return this;
    }

    RawStun attr(int attrType, String value) {
        return attr(attrType, value.getBytes(StandardCharsets.UTF_8));
    }

    RawStun attr(int attrType, long value, int length) {
        byte[] v = new byte[length];
        for (int i = 0; i < length; i++) v[i] = (byte) (value >>> (8 * (length - 1 - i)));
        return attr(attrType, v);
    }

    /** The message with nothing appended. */
    byte[] bytes() {
        byte[] b = body.toByteArray();
        byte[] out = new byte[StunMessages.HEADER_LENGTH + b.length];
        StunMessages.writeShort(out, 0, type);
        StunMessages.writeShort(out, 2, b.length);
        StunMessages.writeInt(out, 4, StunMessages.MAGIC_COOKIE);
        System.arraycopy(TX, 0, out, 8, 12);
        System.arraycopy(b, 0, out, 20, b.length);
        return out;
    }

    /** The message closed with MESSAGE-INTEGRITY (when password != null) and FINGERPRINT. */
    byte[] signed(String password) {
        byte[] b = bytes();
        byte[] out = new byte[b.length + 32];
        System.arraycopy(b, 0, out, 0, b.length);
        Mac mac = password == null ? null : StunMessages.integrityMac(password);
        int len = StunMessages.finish(out, 0, b.length, mac);
        return java.util.Arrays.copyOf(out, len);
    }
}
