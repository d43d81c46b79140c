package org.conclave.keyexchange.sframe;

/**
 * The five SFrame cipher suites of RFC 9605 §4.5 with their sizes: Nh (hash output), Nk (key), Nn (nonce), Nt (tag).
 * The AES-CTR+HMAC suites carry a 48-byte key: the first 16 bytes are the AES key, the other 32 the HMAC key
 * (§4.5.1).
 */
public enum CipherSuite {
    AES_128_CTR_HMAC_SHA256_80(0x0001, "HmacSHA256", 32, 48, 10, false),
    AES_128_CTR_HMAC_SHA256_64(0x0002, "HmacSHA256", 32, 48, 8, false),
    AES_128_CTR_HMAC_SHA256_32(0x0003, "HmacSHA256", 32, 48, 4, false),
    AES_128_GCM_SHA256_128(0x0004, "HmacSHA256", 32, 16, 16, true),
    AES_256_GCM_SHA512_128(0x0005, "HmacSHA512", 64, 32, 16, true);

    /** What Conclave clients use unless configured otherwise: hardware-accelerated and supported by WebCrypto. */
    public static final CipherSuite DEFAULT = AES_128_GCM_SHA256_128;
    /** Nonce length of every suite. */
    public static final int NONCE_LENGTH = 12;
    /** AES key length inside the 48-byte key of the CTR+HMAC suites. */
    static final int CTR_ENC_KEY_LENGTH = 16;

    private final int id;
    private final String hmacAlgorithm;
    private final int hashLength;
    private final int keyLength;
    private final int tagLength;
    private final boolean gcm;

    CipherSuite(int id, String hmacAlgorithm, int hashLength, int keyLength, int tagLength, boolean gcm) {
        this.id = id;
        this.hmacAlgorithm = hmacAlgorithm;
        this.hashLength = hashLength;
        this.keyLength = keyLength;
        this.tagLength = tagLength;
        this.gcm = gcm;
    }

    /** The 16-bit identifier from the IANA registry. */
    public int id() {
        return id;
    }

    /** JCE name of the HMAC used by HKDF (and by the CTR suites' tag). */
    public String hmacAlgorithm() {
        return hmacAlgorithm;
    }

    /** Nh. */
    public int hashLength() {
        return hashLength;
    }

    /** Nk. */
    public int keyLength() {
        return keyLength;
    }

    /** Nn. */
    public int nonceLength() {
        return NONCE_LENGTH;
    }

    /** Nt. */
    public int tagLength() {
        return tagLength;
    }

    public boolean isGcm() {
        return gcm;
    }

    /** The suite with this registry identifier. */
    public static CipherSuite fromId(int id) {
        for (CipherSuite s : values()) {
            if (s.id == id) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown SFrame cipher suite 0x" + Integer.toHexString(id));
    }
}
