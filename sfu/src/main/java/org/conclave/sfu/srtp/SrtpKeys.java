package org.conclave.sfu.srtp;

import java.security.MessageDigest;
import java.util.Arrays;

/**
 * The SRTP master keys and salts of one DTLS-SRTP association, named by who writes with them.
 * Arrays are copied in and out, so a holder cannot change them.
 */
public record SrtpKeys(byte[] clientWriteKey, byte[] serverWriteKey, byte[] clientWriteSalt, byte[] serverWriteSalt) {

    public SrtpKeys {
        clientWriteKey = clientWriteKey.clone();
        serverWriteKey = serverWriteKey.clone();
        clientWriteSalt = clientWriteSalt.clone();
        serverWriteSalt = serverWriteSalt.clone();
        if (clientWriteKey.length != serverWriteKey.length || clientWriteSalt.length != serverWriteSalt.length) {
            throw new IllegalArgumentException("client and server keys/salts differ in length");
        }
    }

    /**
     * Splits exported keying material as RFC 5764 §4.2 lays it out:
     * client key, server key, client salt, server salt.
     */
    public static SrtpKeys fromKeyingMaterial(SrtpProfile profile, byte[] material) {
        int k = profile.keyLength();
        int s = profile.saltLength();
        if (material.length != profile.keyingMaterialLength()) {
            throw new IllegalArgumentException("keying material for " + profile + " must be "
                    + profile.keyingMaterialLength() + " bytes, got " + material.length);
        }
        return new SrtpKeys(
                Arrays.copyOfRange(material, 0, k),
                Arrays.copyOfRange(material, k, 2 * k),
                Arrays.copyOfRange(material, 2 * k, 2 * k + s),
                Arrays.copyOfRange(material, 2 * k + s, 2 * k + 2 * s));
    }

    /** True if the lengths are those of {@code profile}. */
    public boolean fits(SrtpProfile profile) {
        return clientWriteKey.length == profile.keyLength() && clientWriteSalt.length == profile.saltLength();
    }

    @Override
    public byte[] clientWriteKey() {
        return clientWriteKey.clone();
    }

    @Override
    public byte[] serverWriteKey() {
        return serverWriteKey.clone();
    }

    @Override
    public byte[] clientWriteSalt() {
        return clientWriteSalt.clone();
    }

    @Override
    public byte[] serverWriteSalt() {
        return serverWriteSalt.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SrtpKeys other
                && MessageDigest.isEqual(clientWriteKey, other.clientWriteKey)
                && MessageDigest.isEqual(serverWriteKey, other.serverWriteKey)
                && MessageDigest.isEqual(clientWriteSalt, other.clientWriteSalt)
                && MessageDigest.isEqual(serverWriteSalt, other.serverWriteSalt);
    }

    @Override
    public int hashCode() {
        return clientWriteKey.length * 31 + clientWriteSalt.length; // never hash secrets
    }

    @Override
    public String toString() {
        return "SrtpKeys[key " + clientWriteKey.length + " B, salt " + clientWriteSalt.length + " B, redacted]";
    }
}
