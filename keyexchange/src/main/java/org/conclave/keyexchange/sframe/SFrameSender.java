package org.conclave.keyexchange.sframe;

import java.util.Arrays;

/**
 * SFrame encryption for one sender (RFC 9605 §4.4.3): header || AEAD(key, salt XOR CTR, header || metadata, frame).
 * The counter runs across key changes and never repeats, so no (key, nonce) pair is used twice even if a key is
 * installed again. It starts at a random value in [{@link #FIRST_COUNTER_MIN}, FIRST_COUNTER_MIN +
 * {@link #FIRST_COUNTER_SPAN}): every header carries a 4-byte counter, which the SFU requires (plaintext rarely
 * looks like one), and a sender restarted with the same key would not repeat a nonce. One sender (one counter) per
 * endpoint: every track of a client encrypts with it. One thread at a time.
 */
public final class SFrameSender {
    /** The lowest first counter: 2^24, the smallest 4-byte value. */
    public static final long FIRST_COUNTER_MIN = 1L << 24;
    /** First counters are drawn from this many values (2^30: 4-byte counters for years of frames after). */
    public static final long FIRST_COUNTER_SPAN = 1L << 30;
    private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

    private final CipherSuite suite;
    private final byte[] nonce = new byte[CipherSuite.NONCE_LENGTH];
    private FrameKey key;
    private Aead aead;
    private long counter;
    private boolean exhausted;

    /** A sender whose counter starts at a random value (see the class comment). */
    public SFrameSender(CipherSuite suite) {
        this(suite, FIRST_COUNTER_MIN + (RANDOM.nextLong() & (FIRST_COUNTER_SPAN - 1)));
    }

    /** A sender whose first frame gets {@code firstCounter} (tests and vectors). */
    public SFrameSender(CipherSuite suite, long firstCounter) {
        this.suite = suite;
        this.counter = firstCounter;
    }

    public CipherSuite suite() {
        return suite;
    }

    /** Encrypts the following frames under {@code baseKey}, announced as {@code kid}. */
    public void useKey(long kid, byte[] baseKey) {
        FrameKey derived = FrameKey.derive(suite, kid, baseKey);
        this.aead = Aead.create(suite, derived.key());
        this.key = derived;
    }

    public boolean hasKey() {
        return key != null;
    }

    /** KID of the key in use. */
    public long kid() {
        requireKey();
        return key.kid();
    }

    /** The counter the next frame gets. */
    public long nextCounter() {
        return counter;
    }

    /** Upper bound of output length minus input length: longest header plus tag. */
    public int maxOverhead() {
        return SFrameHeader.MAX_LENGTH + suite.tagLength();
    }

    /**
     * Encrypts {@code frame[off, off+len)} with {@code metadata[mdOff, mdOff+mdLen)} as extra associated data and writes
     * header, ciphertext and tag at {@code out[outOff]} (room for {@code len + maxOverhead()} bytes, not overlapping the
     * input). Returns the bytes written.
     */
    public int encrypt(byte[] frame, int off, int len, byte[] metadata, int mdOff, int mdLen, byte[] out, int outOff) {
        requireKey();
        if (exhausted) {
            throw new IllegalStateException("SFrame counter space exhausted: install a new sender");
        }
        long ctr = counter++;
        exhausted = counter == 0;
        return encryptAt(ctr, frame, off, len, metadata, mdOff, mdLen, out, outOff);
    }

    /** Convenience form returning a new array. */
    public byte[] encrypt(byte[] frame, byte[] metadata) {
        byte[] out = new byte[frame.length + maxOverhead()];
        int n = encrypt(frame, 0, frame.length, metadata, 0, metadata.length, out, 0);
        return Arrays.copyOf(out, n);
    }

    /** Encrypts with an explicit counter; only for test vectors, which fix the CTR. */
    int encryptAt(long ctr, byte[] frame, int off, int len, byte[] metadata, int mdOff, int mdLen,
                  byte[] out, int outOff) {
        int headerLength = SFrameHeader.encode(key.kid(), ctr, out, outOff);
        key.nonce(ctr, nonce);
        int sealed = aead.seal(nonce, out, outOff, headerLength, metadata, mdOff, mdLen,
                frame, off, len, out, outOff + headerLength);
        return headerLength + sealed;
    }

    private void requireKey() {
        if (key == null) {
            throw new IllegalStateException("no SFrame key installed: call useKey first");
        }
    }
}
