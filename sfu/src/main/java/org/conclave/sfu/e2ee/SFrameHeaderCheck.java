package org.conclave.sfu.e2ee;

/**
 * Checks, without any key, that bytes at a position look like an SFrame header (RFC 9605 §4.3) written by our
 * clients: {@code |X|K(3)|Y|C(3)|} then KID and CTR, a KID that is a key index (0–255), and room for a tag after it.
 * Syntax alone accepts most random bytes, so {@link E2eeGuard} also requires the counter to advance per stream.
 */
public final class SFrameHeaderCheck {
    /** The shortest SFrame tag (suite AES_128_CTR_HMAC_SHA256_32). */
    static final int MIN_TAG = 4;
    static final int MAX_KID = 255;
    /** The longest header: config byte, 8-byte KID, 8-byte CTR. */
    public static final int MAX_HEADER = 17;

    private SFrameHeaderCheck() {}

    /**
     * Reads the header's counter, or returns -1 when the bytes cannot be one of our headers. For H264
     * ({@code escaped}) emulation-prevention bytes (00 00 03) are skipped; {@code scratch} holds at least
     * {@link #MAX_HEADER} bytes.
     */
    public static long counter(byte[] b, int at, int end, boolean escaped, byte[] scratch) {
        int n = 0;
        int zeros = 0;
        int pos = at;
        while (n < MAX_HEADER && pos < end) {
            int v = b[pos++] & 0xFF;
            if (escaped && zeros >= 2 && v == 3) {
                zeros = 0;
                continue;
            }
            zeros = v == 0 ? zeros + 1 : 0;
            scratch[n++] = (byte) v;
        }
        // Bytes left after the header are estimated on the escaped form: escapes only make it longer.
        if (n == 0) return -1;
        int config = scratch[0] & 0xFF;
        boolean x = (config & 0x80) != 0;
        int k = (config >> 4) & 0x07;
        boolean y = (config & 0x08) != 0;
        int c = config & 0x07;
        int i = 1;
        long kid = k;
        if (x) {
            if (k + 1 > 1) return -1; // a key index needs one byte at most
            if (i + 1 > n) return -1;
            kid = scratch[i++] & 0xFF;
        }
        if (kid > MAX_KID) return -1;
        long ctr = c;
        if (y) {
            if (c + 1 > 7) return -1; // counters beyond 2^56 are not ours
            if (i + c + 1 > n) return -1;
            ctr = 0;
            for (int j = 0; j <= c; j++) ctr = (ctr << 8) | (scratch[i++] & 0xFF);
        }
        int headerEnd = at + i; // unescaped length is a lower bound of the escaped one
        return end - headerEnd >= MIN_TAG ? ctr : -1;
    }
}
