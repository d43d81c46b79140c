package org.conclave.sfu.ice;

import static org.conclave.sfu.ice.StunMessages.HEADER_LENGTH;
import static org.conclave.sfu.ice.StunMessages.INTEGRITY_LENGTH;
import static org.conclave.sfu.ice.StunMessages.readInt;
import static org.conclave.sfu.ice.StunMessages.readShort;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import javax.crypto.Mac;

/**
 * A reusable view of one parsed STUN message that allocates nothing itself (the JCE's HMAC may): {@link #parse} checks structure and FINGERPRINT and
 * records where the attributes are; accessors read them from the caller's buffer, which must stay unchanged while the
 * view is used. Malformed input yields a {@link Status} other than OK, never an exception. Only the first occurrence
 * of an attribute counts; attributes after MESSAGE-INTEGRITY other than FINGERPRINT are ignored (RFC 8489 §14.5);
 * nothing may follow FINGERPRINT. Accessors mean something only after {@code parse} returned OK. One instance per
 * thread.
 */
public final class StunMessage {
    /** How many unknown comprehension-required attribute types are kept for a 420 response. */
    public static final int MAX_UNKNOWN = 4;

    public enum Status {
        OK,
        /** Fails {@link StunMessages#looksLikeStun}. */
        NOT_STUN,
        /** An attribute's length runs past the message. */
        TRUNCATED_ATTRIBUTE,
        /** A known attribute has a length (or address family, or error class) it cannot have. */
        BAD_ATTRIBUTE,
        BAD_FINGERPRINT,
        ATTRIBUTE_AFTER_FINGERPRINT
    }

    private final byte[] digest = new byte[INTEGRITY_LENGTH];
    private final int[] unknown = new int[MAX_UNKNOWN];
    private byte[] buf;
    private int off;
    private int type;
    private int usernameOff;
    private int usernameLen;
    private int integrityOff;
    private int mappedOff;
    private int errorCode;
    private long priority;
    private long tieBreaker;
    private boolean fingerprint;
    private boolean useCandidate;
    private boolean controlling;
    private boolean controlled;
    private int unknownCount;

    public Status parse(byte[] b, int offset, int len) {
        reset(b, offset);
        if (!StunMessages.looksLikeStun(b, offset, len)) return Status.NOT_STUN;
        type = readShort(b, offset);
        int end = offset + HEADER_LENGTH + readShort(b, offset + 2);
        for (int pos = offset + HEADER_LENGTH; pos < end; ) {
            if (fingerprint) return Status.ATTRIBUTE_AFTER_FINGERPRINT;
            int t = readShort(b, pos);
            int l = readShort(b, pos + 2);
            int v = pos + 4;
            if (l > end - v) return Status.TRUNCATED_ATTRIBUTE;
            if (t == StunMessages.ATTR_FINGERPRINT) {
                if (l != 4) return Status.BAD_ATTRIBUTE;
                if ((StunMessages.crc32(b, offset, pos - offset) ^ StunMessages.FINGERPRINT_XOR) != readInt(b, v)) {
                    return Status.BAD_FINGERPRINT;
                }
                fingerprint = true;
            } else if (integrityOff < 0 && !attribute(b, t, l, v)) {
                return Status.BAD_ATTRIBUTE;
            }
            pos = v + StunMessages.padded(l); // stays <= end: the body length is a multiple of 4
        }
        return Status.OK;
    }

    /** Records attribute {@code t}; false when its length or content is impossible. */
    private boolean attribute(byte[] b, int t, int l, int v) {
        switch (t) {
            case StunMessages.ATTR_USERNAME -> {
                if (l > StunMessages.MAX_USERNAME_LENGTH) return false;
                if (usernameOff < 0) {
                    usernameOff = v;
                    usernameLen = l;
                }
            }
            case StunMessages.ATTR_MESSAGE_INTEGRITY -> {
                if (l != INTEGRITY_LENGTH) return false;
                integrityOff = v - 4;
            }
            case StunMessages.ATTR_PRIORITY -> {
                if (l != 4) return false;
                if (priority < 0) priority = readInt(b, v) & 0xFFFFFFFFL;
            }
            case StunMessages.ATTR_USE_CANDIDATE -> {
                if (l != 0) return false;
                useCandidate = true;
            }
            case StunMessages.ATTR_ICE_CONTROLLING, StunMessages.ATTR_ICE_CONTROLLED -> {
                if (l != 8) return false;
                if (!controlling && !controlled) tieBreaker = ((long) readInt(b, v) << 32) | (readInt(b, v + 4) & 0xFFFFFFFFL);
                if (t == StunMessages.ATTR_ICE_CONTROLLING) controlling = true; else controlled = true;
            }
            case StunMessages.ATTR_XOR_MAPPED_ADDRESS -> {
                int family = l >= 2 ? b[v + 1] : 0;
                if (!(l == 8 && family == 1 || l == 20 && family == 2)) return false;
                if (mappedOff < 0) mappedOff = v;
            }
            case StunMessages.ATTR_ERROR_CODE -> {
                if (l < 4) return false;
                int cls = b[v + 2] & 0x07;
                int number = b[v + 3] & 0xFF;
                if (cls < 3 || cls > 6 || number > 99) return false;
                if (errorCode < 0) errorCode = cls * 100 + number;
            }
            case StunMessages.ATTR_MAPPED_ADDRESS, StunMessages.ATTR_UNKNOWN_ATTRIBUTES -> { } // understood, unused
            default -> {
                if (t < 0x8000 && unknownCount < MAX_UNKNOWN) unknown[unknownCount++] = t;
            }
        }
        return true;
    }

    private void reset(byte[] b, int offset) {
        buf = b;
        off = offset;
        type = -1;
        usernameOff = integrityOff = mappedOff = errorCode = -1;
        usernameLen = unknownCount = 0;
        priority = -1;
        tieBreaker = 0;
        fingerprint = useCandidate = controlling = controlled = false;
    }

    /** Message type (method and class), e.g. {@link StunMessages#BINDING_REQUEST}; -1 when not parsed. */
    public int type() {
        return type;
    }

    /** Offset of the 12-byte transaction id in the parsed buffer. */
    public int transactionIdOffset() {
        return off + 8;
    }

    public boolean transactionIdEquals(byte[] id, int idOff) {
        for (int i = 0; i < StunMessages.TRANSACTION_ID_LENGTH; i++) {
            if (buf[off + 8 + i] != id[idOff + i]) return false;
        }
        return true;
    }

    public boolean hasUsername() {
        return usernameOff >= 0;
    }

    /** USERNAME decoded as UTF-8, or null. Allocates. */
    public String username() {
        return usernameOff < 0 ? null : new String(buf, usernameOff, usernameLen, StandardCharsets.UTF_8);
    }

    /** Whether USERNAME is "{@code ufrag}:..." (the recipient part matches); zero allocation. */
    public boolean usernameRecipientIs(byte[] ufrag) {
        if (usernameOff < 0 || usernameLen <= ufrag.length || buf[usernameOff + ufrag.length] != ':') return false;
        for (int i = 0; i < ufrag.length; i++) {
            if (buf[usernameOff + i] != ufrag[i]) return false;
        }
        return true;
    }

    public boolean hasIntegrity() {
        return integrityOff >= 0;
    }

    /**
     * Checks MESSAGE-INTEGRITY (RFC 5389 §15.4): HMAC-SHA1 over the message up to the attribute, with the header
     * length field counting up to the end of MESSAGE-INTEGRITY. {@code mac} is keyed with the password
     * ({@link StunMessages#integrityMac}); compared in constant time.
     */
    public boolean integrityValid(Mac mac) {
        if (integrityOff < 0) return false;
        int adjusted = integrityOff + 4 + INTEGRITY_LENGTH - off - HEADER_LENGTH;
        mac.update(buf, off, 2);
        mac.update((byte) (adjusted >>> 8));
        mac.update((byte) adjusted);
        mac.update(buf, off + 4, integrityOff - off - 4);
        StunMessages.doFinal(mac, digest, 0);
        int diff = 0;
        for (int i = 0; i < INTEGRITY_LENGTH; i++) diff |= digest[i] ^ buf[integrityOff + 4 + i];
        return diff == 0;
    }

    /** Whether a FINGERPRINT was present (parse already rejected a wrong one). */
    public boolean hasFingerprint() {
        return fingerprint;
    }

    /** PRIORITY as unsigned value, or -1 when absent. */
    public long priority() {
        return priority;
    }

    public boolean useCandidate() {
        return useCandidate;
    }

    public boolean iceControlling() {
        return controlling;
    }

    public boolean iceControlled() {
        return controlled;
    }

    /** Tie-breaker of the first ICE-CONTROLLING or ICE-CONTROLLED attribute, 0 when neither is present. */
    public long tieBreaker() {
        return tieBreaker;
    }

    /** XOR-MAPPED-ADDRESS decoded, or null when absent. Allocates. */
    public InetSocketAddress xorMappedAddress() {
        if (mappedOff < 0) return null;
        int port = readShort(buf, mappedOff + 2) ^ (StunMessages.MAGIC_COOKIE >>> 16);
        byte[] ip = new byte[buf[mappedOff + 1] == 1 ? 4 : 16];
        for (int i = 0; i < ip.length; i++) ip[i] = (byte) (buf[mappedOff + 4 + i] ^ buf[off + 4 + i]);
        try {
            return new InetSocketAddress(InetAddress.getByAddress(ip), port);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // cannot happen: 4 or 16 bytes
        }
    }

    /** ERROR-CODE as class*100+number, or -1 when absent. */
    public int errorCode() {
        return errorCode;
    }

    /** Number of unknown comprehension-required attributes kept (at most {@link #MAX_UNKNOWN}). */
    public int unknownCount() {
        return unknownCount;
    }

    public int unknown(int i) {
        if (i < 0 || i >= unknownCount) throw new IndexOutOfBoundsException(i);
        return unknown[i];
    }

    /** The kept unknown types, for {@link StunMessages#writeBindingError}. */
    int[] unknownTypes() {
        return unknown;
    }
}
