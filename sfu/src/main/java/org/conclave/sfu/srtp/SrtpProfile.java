package org.conclave.sfu.srtp;

import java.util.List;
import org.jitsi.srtp.SrtpPolicy;

/**
 * The DTLS-SRTP protection profiles the SFU speaks (RFC 5764 §4.1.2, RFC 7714 §14.2).
 * The ids are the values carried in the DTLS use_srtp extension.
 */
public enum SrtpProfile {
    /** AES-128-GCM: 16-byte key, 12-byte salt, 16-byte tag. Preferred: one pass, no separate HMAC. */
    AEAD_AES_128_GCM(0x0007, 16, 12, 16, 0),
    /** AES-128 counter mode + HMAC-SHA1 truncated to 80 bits: 16-byte key, 14-byte salt, 10-byte tag. */
    AES_CM_128_HMAC_SHA1_80(0x0001, 16, 14, 10, 20);

    /** Our order of preference when the peer offers several profiles. */
    public static final List<SrtpProfile> PREFERENCE = List.of(AEAD_AES_128_GCM, AES_CM_128_HMAC_SHA1_80);

    private final int id;
    private final int keyLength;
    private final int saltLength;
    private final int tagLength;
    private final int authKeyLength;

    SrtpProfile(int id, int keyLength, int saltLength, int tagLength, int authKeyLength) {
        this.id = id;
        this.keyLength = keyLength;
        this.saltLength = saltLength;
        this.tagLength = tagLength;
        this.authKeyLength = authKeyLength;
    }

    /** The SRTPProtectionProfile value of the use_srtp extension. */
    public int id() {
        return id;
    }

    /** Master key length in bytes. */
    public int keyLength() {
        return keyLength;
    }

    /** Master salt length in bytes. */
    public int saltLength() {
        return saltLength;
    }

    /** Authentication tag length in bytes (the same for SRTP and SRTCP). */
    public int tagLength() {
        return tagLength;
    }

    /** Bytes SRTP protection adds to an RTP packet. */
    public int rtpOverhead() {
        return tagLength;
    }

    /** Bytes SRTCP protection adds to an RTCP packet: the E flag + index word, then the tag. */
    public int rtcpOverhead() {
        return 4 + tagLength;
    }

    /** Bytes to export from DTLS: two keys and two salts (RFC 5764 §4.2). */
    public int keyingMaterialLength() {
        return 2 * (keyLength + saltLength);
    }

    /** The profile with this use_srtp id, or null if we don't support it. */
    public static SrtpProfile fromId(int id) {
        for (SrtpProfile p : values()) {
            if (p.id == id) {
                return p;
            }
        }
        return null;
    }

    /**
     * Picks the first profile of {@code preference} that the peer offered, or null if there is none.
     * Ids we don't know are skipped, so a peer may offer anything.
     */
    public static SrtpProfile select(int[] offeredIds, List<SrtpProfile> preference) {
        if (offeredIds == null) {
            return null;
        }
        for (SrtpProfile p : preference) {
            for (int offered : offeredIds) {
                if (offered == p.id) {
                    return p;
                }
            }
        }
        return null;
    }

    /** A fresh jitsi-srtp policy (the class is mutable, so never shared). */
    SrtpPolicy newPolicy() {
        return switch (this) {
            case AEAD_AES_128_GCM -> new SrtpPolicy(SrtpPolicy.AESGCM_ENCRYPTION, keyLength,
                    SrtpPolicy.NULL_AUTHENTICATION, authKeyLength, tagLength, saltLength);
            case AES_CM_128_HMAC_SHA1_80 -> new SrtpPolicy(SrtpPolicy.AESCM_ENCRYPTION, keyLength,
                    SrtpPolicy.HMACSHA1_AUTHENTICATION, authKeyLength, tagLength, saltLength);
        };
    }
}
