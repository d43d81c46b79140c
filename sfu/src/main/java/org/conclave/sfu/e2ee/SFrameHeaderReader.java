package org.conclave.sfu.e2ee;

/**
 * Reads, without any key, the SFrame header (RFC 9605 §4.3) our clients write: {@code |X|K(3)|Y|C(3)|}, then KID and
 * CTR in their shortest big-endian form, a KID that is a key index (0–255), a counter of at least
 * {@link #MIN_COUNTER} (our senders start there, see docs/protocol.md), and room for a tag after it. Anything else is
 * not one of our headers. One instance per packet thread user; {@link #read} keeps the result in fields so nothing is
 * allocated per packet.
 */
public final class SFrameHeaderReader {
    /** The shortest SFrame tag (suite AES_128_CTR_HMAC_SHA256_32). */
    static final int MIN_TAG = 4;
    static final int MAX_KID = 255;
    /** Our senders' counters start at or above 2^24, so they are at least 4 bytes long. */
    public static final long MIN_COUNTER = 1L << 24;
    /** Counters beyond 7 bytes are not ours (a sender would need 2^56 frames). */
    static final int MAX_COUNTER_BYTES = 7;
    /** The longest header we accept: config byte, 1-byte KID, 7-byte CTR. */
    public static final int MAX_HEADER = 1 + 1 + MAX_COUNTER_BYTES;

    private final byte[] scratch = new byte[MAX_HEADER];
    private int kid;
    private long counter;

    /**
     * Reads the header at {@code b[at..end)}. For H264 ({@code escaped}) emulation-prevention bytes (00 00 03) are
     * skipped, with {@code priorZeros} zero bytes (0–2) just before {@code at}.
     *
     * @return whether the bytes are one of our headers; then {@link #kid()} and {@link #counter()} hold its values
     */
    public boolean read(byte[] b, int at, int end, boolean escaped, int priorZeros) {
        int n = 0;
        int zeros = priorZeros;
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
        if (n == 0) return false;
        int config = scratch[0] & 0xFF;
        int k = (config >> 4) & 0x07;
        int c = config & 0x07;
        int i = 1;
        int id = k;
        if ((config & 0x80) != 0) {
            if (k != 0 || i + 1 > n) return false; // a key index takes one byte
            id = scratch[i++] & 0xFF;
            if (id < 8) return false; // not the shortest form
        }
        if ((config & 0x08) == 0) return false; // an inline counter is below 8, never one of ours
        int bytes = c + 1;
        if (bytes > MAX_COUNTER_BYTES || i + bytes > n) return false;
        if (scratch[i] == 0) return false; // not the shortest form
        long ctr = 0;
        for (int j = 0; j < bytes; j++) ctr = (ctr << 8) | (scratch[i++] & 0xFF);
        if (ctr < MIN_COUNTER) return false;
        // Escapes only make the wire form longer, so the bytes left after the header are a lower bound.
        if (end - (at + i) < MIN_TAG) return false;
        this.kid = id;
        this.counter = ctr;
        return true;
    }

    public int kid() {
        return kid;
    }

    public long counter() {
        return counter;
    }
}
