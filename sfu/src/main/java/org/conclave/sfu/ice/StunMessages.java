package org.conclave.sfu.ice;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.SecretKeySpec;

/**
 * STUN codec (RFC 5389/8489) for the ICE subset: demultiplexing, USERNAME lookup and message writers over byte[].
 * Parsing lives in {@link StunMessage}.
 *
 * <p>Error policy of the SFU's lite agent: 400 for a Binding request that lacks USERNAME or MESSAGE-INTEGRITY, 420
 * for unknown comprehension-required attributes and 487 for a peer that also claims the controlled role (both
 * authenticated). Requests failing the USERNAME or MESSAGE-INTEGRITY check are dropped instead of answered with 401:
 * a lite agent may drop them, the peer just retransmits, and a scanner learns nothing about which ufrags exist.
 *
 * <p>Writers fill a caller-provided buffer ({@link #MAX_RESPONSE_LENGTH} bytes suffice for every response); the only
 * garbage is the address bytes of XOR-MAPPED-ADDRESS and what the JCE's HMAC allocates internally.
 */
public final class StunMessages {
    public static final int HEADER_LENGTH = 20;
    public static final int MAGIC_COOKIE = 0x2112A442;
    public static final int TRANSACTION_ID_LENGTH = 12;
    /** Room a caller must give {@link #writeBindingSuccess} and {@link #writeBindingError}. */
    public static final int MAX_RESPONSE_LENGTH = 128;
    /** RFC 5389 §15.3: USERNAME is shorter than 513 bytes. */
    public static final int MAX_USERNAME_LENGTH = 512;

    public static final int BINDING_REQUEST = 0x0001;
    public static final int BINDING_INDICATION = 0x0011;
    public static final int BINDING_SUCCESS = 0x0101;
    public static final int BINDING_ERROR = 0x0111;

    public static final int ATTR_MAPPED_ADDRESS = 0x0001;
    public static final int ATTR_USERNAME = 0x0006;
    public static final int ATTR_MESSAGE_INTEGRITY = 0x0008;
    public static final int ATTR_ERROR_CODE = 0x0009;
    public static final int ATTR_UNKNOWN_ATTRIBUTES = 0x000A;
    public static final int ATTR_XOR_MAPPED_ADDRESS = 0x0020;
    public static final int ATTR_PRIORITY = 0x0024;
    public static final int ATTR_USE_CANDIDATE = 0x0025;
    public static final int ATTR_SOFTWARE = 0x8022;
    public static final int ATTR_FINGERPRINT = 0x8028;
    public static final int ATTR_ICE_CONTROLLED = 0x8029;
    public static final int ATTR_ICE_CONTROLLING = 0x802A;

    public static final int ERROR_BAD_REQUEST = 400;
    public static final int ERROR_UNAUTHORIZED = 401;
    public static final int ERROR_UNKNOWN_ATTRIBUTE = 420;
    public static final int ERROR_ROLE_CONFLICT = 487;

    static final int INTEGRITY_LENGTH = 20;
    static final int FINGERPRINT_XOR = 0x5354554e;
    private static final int[] CRC_TABLE = crcTable();

    private StunMessages() {}

    /** RFC 7983 demultiplexing plus header sanity: first byte 0..3, magic cookie, length a multiple of 4 that fits. */
    public static boolean looksLikeStun(byte[] b, int off, int len) {
        if (b == null || off < 0 || len < HEADER_LENGTH || off > b.length - len) return false;
        if ((b[off] & 0xC0) != 0 || readInt(b, off + 4) != MAGIC_COOKIE) return false;
        int bodyLength = readShort(b, off + 2);
        return (bodyLength & 3) == 0 && bodyLength <= len - HEADER_LENGTH;
    }

    /**
     * The recipient's ufrag: the part of USERNAME ("recipient:sender") before ':', or null when the packet is not
     * STUN, has no USERNAME, or the USERNAME is malformed. Decoded as ISO-8859-1: the result only serves as lookup key
     * against our ASCII ufrags. Allocates the returned string; nothing is authenticated yet.
     */
    public static String localUfrag(byte[] b, int off, int len) {
        if (!looksLikeStun(b, off, len)) return null;
        int end = off + HEADER_LENGTH + readShort(b, off + 2);
        for (int pos = off + HEADER_LENGTH; end - pos >= 4; ) {
            int type = readShort(b, pos);
            int length = readShort(b, pos + 2);
            int value = pos + 4;
            if (length > end - value) return null;
            if (type == ATTR_USERNAME) {
                if (length > MAX_USERNAME_LENGTH) return null;
                for (int i = value; i < value + length; i++) {
                    if (b[i] == ':') return i == value ? null : new String(b, value, i - value, StandardCharsets.ISO_8859_1);
                }
                return null;
            }
            pos = value + padded(length);
        }
        return null;
    }

    /** An HMAC-SHA1 keyed for short-term credentials (RFC 5389 §15.4); the ICE pwd is the key. Not thread-safe. */
    public static Mac integrityMac(String password) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(password.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 unavailable", e);
        }
    }

    /**
     * Binding success response to the request whose transaction id is at {@code tx[txOff..+12]}: XOR-MAPPED-ADDRESS
     * of {@code mapped}, MESSAGE-INTEGRITY with {@code mac} (our password), FINGERPRINT. Returns the length written.
     */
    public static int writeBindingSuccess(byte[] out, int off, byte[] tx, int txOff, InetSocketAddress mapped, Mac mac) {
        checkRoom(out, off, MAX_RESPONSE_LENGTH);
        int pos = writeHeader(out, off, BINDING_SUCCESS, tx, txOff);
        pos = writeXorMappedAddress(out, pos, off, mapped);
        return finish(out, off, pos, mac);
    }

    /**
     * Binding error response with ERROR-CODE {@code code}, UNKNOWN-ATTRIBUTES when {@code unknownCount > 0}, and
     * MESSAGE-INTEGRITY when {@code mac} is non-null (RFC 5389 §10.1.2: never for 400 and 401). Returns the length.
     */
    public static int writeBindingError(byte[] out, int off, byte[] tx, int txOff, int code,
                                        int[] unknown, int unknownCount, Mac mac) {
        if (code < 300 || code > 699) throw new IllegalArgumentException("error code " + code);
        if (unknownCount < 0 || unknownCount > StunMessage.MAX_UNKNOWN) throw new IllegalArgumentException("unknown");
        checkRoom(out, off, MAX_RESPONSE_LENGTH);
        int pos = writeHeader(out, off, BINDING_ERROR, tx, txOff);
        byte[] reason = reasonPhrase(code);
        pos = writeAttributeHeader(out, pos, ATTR_ERROR_CODE, 4 + reason.length);
        writeShort(out, pos, 0);
        out[pos + 2] = (byte) (code / 100);
        out[pos + 3] = (byte) (code % 100);
        System.arraycopy(reason, 0, out, pos + 4, reason.length);
        pos = pad(out, off, pos + 4 + reason.length);
        if (unknownCount > 0) {
            pos = writeAttributeHeader(out, pos, ATTR_UNKNOWN_ATTRIBUTES, 2 * unknownCount);
            for (int i = 0; i < unknownCount; i++) writeShort(out, pos + 2 * i, unknown[i]);
            pos = pad(out, off, pos + 2 * unknownCount);
        }
        return finish(out, off, pos, mac);
    }

    /**
     * Binding request as the controlling side sends it (for test clients): USERNAME "remoteUfrag:localUfrag",
     * PRIORITY, ICE-CONTROLLING with {@code tieBreaker}, USE-CANDIDATE when nominating, MESSAGE-INTEGRITY with
     * {@code mac} keyed by the remote password, FINGERPRINT. Returns the length written.
     */
    public static int writeBindingRequest(byte[] out, int off, byte[] tx, int txOff, String username,
                                          long priority, long tieBreaker, boolean useCandidate, Mac mac) {
        byte[] user = username.getBytes(StandardCharsets.UTF_8);
        if (user.length > MAX_USERNAME_LENGTH) throw new IllegalArgumentException("username too long");
        checkRoom(out, off, HEADER_LENGTH + 4 + padded(user.length) + 8 + 12 + 4 + 24 + 8);
        int pos = writeHeader(out, off, BINDING_REQUEST, tx, txOff);
        pos = writeAttributeHeader(out, pos, ATTR_USERNAME, user.length);
        System.arraycopy(user, 0, out, pos, user.length);
        pos = pad(out, off, pos + user.length);
        pos = writeAttributeHeader(out, pos, ATTR_PRIORITY, 4);
        writeInt(out, pos, (int) priority);
        pos = writeAttributeHeader(out, pos + 4, ATTR_ICE_CONTROLLING, 8);
        writeInt(out, pos, (int) (tieBreaker >>> 32));
        writeInt(out, pos + 4, (int) tieBreaker);
        pos += 8;
        if (useCandidate) pos = writeAttributeHeader(out, pos, ATTR_USE_CANDIDATE, 0);
        return finish(out, off, pos, mac);
    }

    /** Appends MESSAGE-INTEGRITY (when mac != null) and FINGERPRINT at {@code pos}; returns the message length. */
    static int finish(byte[] out, int off, int pos, Mac mac) {
        if (mac != null) {
            writeShort(out, off + 2, pos + 4 + INTEGRITY_LENGTH - off - HEADER_LENGTH);
            mac.update(out, off, pos - off);
            pos = writeAttributeHeader(out, pos, ATTR_MESSAGE_INTEGRITY, INTEGRITY_LENGTH);
            doFinal(mac, out, pos);
            pos += INTEGRITY_LENGTH;
        }
        writeShort(out, off + 2, pos + 8 - off - HEADER_LENGTH);
        int crc = crc32(out, off, pos - off) ^ FINGERPRINT_XOR;
        pos = writeAttributeHeader(out, pos, ATTR_FINGERPRINT, 4);
        writeInt(out, pos, crc);
        return pos + 4 - off;
    }

    static void doFinal(Mac mac, byte[] out, int pos) {
        try {
            mac.doFinal(out, pos);
        } catch (ShortBufferException e) {
            throw new IllegalStateException(e); // callers always leave 20 bytes
        }
    }

    private static int writeHeader(byte[] out, int off, int type, byte[] tx, int txOff) {
        writeShort(out, off, type);
        writeShort(out, off + 2, 0);
        writeInt(out, off + 4, MAGIC_COOKIE);
        System.arraycopy(tx, txOff, out, off + 8, TRANSACTION_ID_LENGTH);
        return off + HEADER_LENGTH;
    }

    private static int writeXorMappedAddress(byte[] out, int pos, int msgOff, InetSocketAddress mapped) {
        InetAddress address = mapped.getAddress();
        if (address == null) throw new IllegalArgumentException("unresolved address " + mapped);
        byte[] ip = address.getAddress();
        pos = writeAttributeHeader(out, pos, ATTR_XOR_MAPPED_ADDRESS, 4 + ip.length);
        out[pos] = 0;
        out[pos + 1] = (byte) (address instanceof Inet4Address ? 1 : 2);
        writeShort(out, pos + 2, mapped.getPort() ^ (MAGIC_COOKIE >>> 16));
        for (int i = 0; i < ip.length; i++) out[pos + 4 + i] = (byte) (ip[i] ^ out[msgOff + 4 + i]); // cookie, then tx id
        return pos + 4 + ip.length;
    }

    private static int writeAttributeHeader(byte[] out, int pos, int type, int length) {
        writeShort(out, pos, type);
        writeShort(out, pos + 2, length);
        return pos + 4;
    }

    /** Zero padding to a 4-byte boundary counted from the message start {@code off}. */
    private static int pad(byte[] out, int off, int pos) {
        while (((pos - off) & 3) != 0) out[pos++] = 0;
        return pos;
    }

    private static byte[] reasonPhrase(int code) {
        String reason = switch (code) {
            case ERROR_BAD_REQUEST -> "Bad Request";
            case ERROR_UNAUTHORIZED -> "Unauthorized";
            case ERROR_UNKNOWN_ATTRIBUTE -> "Unknown Attribute";
            case ERROR_ROLE_CONFLICT -> "Role Conflict";
            default -> "Error";
        };
        return reason.getBytes(StandardCharsets.US_ASCII);
    }

    private static void checkRoom(byte[] out, int off, int needed) {
        if (off < 0 || off > out.length - needed) throw new IllegalArgumentException("output buffer too small");
    }

    static int padded(int length) {
        return (length + 3) & ~3;
    }

    static int readShort(byte[] b, int pos) {
        return ((b[pos] & 0xFF) << 8) | (b[pos + 1] & 0xFF);
    }

    static int readInt(byte[] b, int pos) {
        return (readShort(b, pos) << 16) | readShort(b, pos + 2);
    }

    static void writeShort(byte[] b, int pos, int v) {
        b[pos] = (byte) (v >>> 8);
        b[pos + 1] = (byte) v;
    }

    static void writeInt(byte[] b, int pos, int v) {
        writeShort(b, pos, v >>> 16);
        writeShort(b, pos + 2, v);
    }

    /** CRC-32 (ISO-HDLC, as java.util.zip.CRC32) without allocating a checksum object per message. */
    static int crc32(byte[] b, int off, int len) {
        int crc = 0xFFFFFFFF;
        for (int i = off; i < off + len; i++) crc = CRC_TABLE[(crc ^ b[i]) & 0xFF] ^ (crc >>> 8);
        return ~crc;
    }

    private static int[] crcTable() {
        int[] table = new int[256];
        for (int n = 0; n < 256; n++) {
            int c = n;
            for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320 ^ (c >>> 1) : c >>> 1;
            table[n] = c;
        }
        return table;
    }
}
