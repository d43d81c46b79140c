package org.conclave.sfu.dtls;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;

/**
 * A certificate fingerprint as SDP carries it (RFC 8122 §5): a hash function name and the digest of the
 * DER certificate, written {@code sha-256 AB:CD:...}.
 */
public final class Fingerprint {
    /** Longest SDP value we look at; a sha-512 fingerprint is 8 + 191 characters. */
    private static final int MAX_VALUE_LENGTH = 512;
    private static final String SDP_PREFIX = "a=fingerprint:";

    private final String hashFunction;
    private final byte[] digest;

    private Fingerprint(String hashFunction, byte[] digest) {
        this.hashFunction = hashFunction;
        this.digest = digest;
    }

    /**
     * Parses {@code "<hash-func> <hex>"} (optionally with the {@code a=fingerprint:} prefix). The hash function is
     * one of sha-1, sha-224, sha-256, sha-384, sha-512, any case; the hex is colon-separated byte pairs, any
     * case, exactly as many as the hash produces.
     *
     * @throws FingerprintFormatException for anything else
     */
    public static Fingerprint parse(String value) {
        if (value == null) {
            throw new FingerprintFormatException("fingerprint is missing");
        }
        if (value.length() > MAX_VALUE_LENGTH) {
            throw new FingerprintFormatException("fingerprint is longer than " + MAX_VALUE_LENGTH + " characters");
        }
        String v = value.strip();
        if (v.regionMatches(true, 0, SDP_PREFIX, 0, SDP_PREFIX.length())) {
            v = v.substring(SDP_PREFIX.length()).strip();
        }
        int space = indexOfWhitespace(v);
        if (space < 0) {
            throw new FingerprintFormatException("expected '<hash-func> <hex>', got '" + value + "'");
        }
        String name = v.substring(0, space).toLowerCase(Locale.ROOT);
        String hex = v.substring(space).strip();
        int size = digestLength(name);
        if (size < 0) {
            throw new FingerprintFormatException("unsupported fingerprint hash function '" + v.substring(0, space)
                    + "' (expected sha-1, sha-224, sha-256, sha-384 or sha-512)");
        }
        if (hex.length() != size * 3 - 1) {
            throw new FingerprintFormatException(name + " fingerprint must be " + size
                    + " colon-separated hex bytes, got '" + hex + "'");
        }
        byte[] digest = new byte[size];
        for (int i = 0; i < size; i++) {
            int p = i * 3;
            int hi = Character.digit(hex.charAt(p), 16);
            int lo = Character.digit(hex.charAt(p + 1), 16);
            if (hi < 0 || lo < 0 || hex.charAt(p) > 0x7F || hex.charAt(p + 1) > 0x7F) {
                throw new FingerprintFormatException("not a hex byte at position " + p + " of '" + hex + "'");
            }
            if (i + 1 < size && hex.charAt(p + 2) != ':') {
                throw new FingerprintFormatException("expected ':' at position " + (p + 2) + " of '" + hex + "'");
            }
            digest[i] = (byte) (hi << 4 | lo);
        }
        return new Fingerprint(name, digest);
    }

    /** The fingerprint of a DER-encoded certificate under {@code hashFunction} (an SDP name such as "sha-256"). */
    public static Fingerprint of(String hashFunction, byte[] derCertificate) {
        String name = hashFunction.toLowerCase(Locale.ROOT);
        if (digestLength(name) < 0) {
            throw new IllegalArgumentException("unsupported fingerprint hash function '" + hashFunction + "'");
        }
        return new Fingerprint(name, digest(name, derCertificate));
    }

    /** True if {@code derCertificate} hashes to this fingerprint; the comparison takes constant time. */
    public boolean matches(byte[] derCertificate) {
        return MessageDigest.isEqual(digest, digest(hashFunction, derCertificate));
    }

    /** The lower-case SDP hash function name, e.g. "sha-256". */
    public String hashFunction() {
        return hashFunction;
    }

    public byte[] digest() {
        return digest.clone();
    }

    /** Upper-case colon-separated hex, e.g. "AB:CD:01". */
    public String hex() {
        return toHex(digest);
    }

    /** The SDP attribute value, e.g. "sha-256 AB:CD:...". */
    public String toSdpValue() {
        return hashFunction + " " + hex();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Fingerprint f && f.hashFunction.equals(hashFunction)
                && MessageDigest.isEqual(f.digest, digest);
    }

    @Override
    public int hashCode() {
        return hashFunction.hashCode() * 31 + java.util.Arrays.hashCode(digest);
    }

    @Override
    public String toString() {
        return toSdpValue();
    }

    static String toHex(byte[] bytes) {
        StringBuilder sb = new StringBuilder(bytes.length * 3);
        for (int i = 0; i < bytes.length; i++) {
            if (i > 0) {
                sb.append(':');
            }
            sb.append(Character.toUpperCase(Character.forDigit((bytes[i] >> 4) & 0xF, 16)));
            sb.append(Character.toUpperCase(Character.forDigit(bytes[i] & 0xF, 16)));
        }
        return sb.toString();
    }

    private static int digestLength(String name) {
        return switch (name) {
            case "sha-1" -> 20;
            case "sha-224" -> 28;
            case "sha-256" -> 32;
            case "sha-384" -> 48;
            case "sha-512" -> 64;
            default -> -1;
        };
    }

    private static byte[] digest(String name, byte[] data) {
        try {
            // SDP names differ from JCA names only by case ("sha-256" vs "SHA-256").
            return MessageDigest.getInstance(name.toUpperCase(Locale.ROOT)).digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("JDK lacks " + name, e);
        }
    }

    private static int indexOfWhitespace(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isWhitespace(s.charAt(i))) {
                return i;
            }
        }
        return -1;
    }
}
