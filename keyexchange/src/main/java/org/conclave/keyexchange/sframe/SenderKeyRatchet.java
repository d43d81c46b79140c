package org.conclave.keyexchange.sframe;

import java.nio.charset.StandardCharsets;

/**
 * The sender-key ratchet of RFC 9605 §5.1. A KID carries a key generation (high 64-R bits) and the low R bits of a
 * ratchet step; each step replaces the base key with
 * {@code HKDF-Expand(HKDF-Extract("", base_key), "SFrame 1.0 Ratchet", Nh)}, so a key learned at step n reveals nothing
 * about frames of earlier steps. Senders call {@link #advance}; receivers call {@link #advanceTo} with the KID of an
 * incoming frame of this generation. Only forward: at most 2^R - 1 steps at once.
 */
public final class SenderKeyRatchet {
    /** Largest R accepted: bounds a receiver's catch-up work to 2^16 HKDF steps. */
    public static final int MAX_RATCHET_BITS = 16;
    private static final byte[] LABEL = "SFrame 1.0 Ratchet".getBytes(StandardCharsets.US_ASCII);

    private final CipherSuite suite;
    private final int ratchetBits;
    private final long generation;
    private byte[] baseKey;
    private long step;

    public SenderKeyRatchet(CipherSuite suite, int ratchetBits, long generation, byte[] baseKey) {
        if (ratchetBits < 0 || ratchetBits > MAX_RATCHET_BITS) {
            throw new IllegalArgumentException("ratchet bits must be 0.." + MAX_RATCHET_BITS);
        }
        if (ratchetBits > 0 && Long.compareUnsigned(generation, -1L >>> ratchetBits) > 0) {
            throw new IllegalArgumentException("generation does not fit in " + (64 - ratchetBits) + " bits");
        }
        this.suite = suite;
        this.ratchetBits = ratchetBits;
        this.generation = generation;
        this.baseKey = baseKey.clone();
    }

    /** One ratchet step of a base key. */
    public static byte[] next(CipherSuite suite, byte[] baseKey) {
        byte[] secret = Hkdf.extract(suite.hmacAlgorithm(), new byte[0], baseKey);
        return Hkdf.expand(suite.hmacAlgorithm(), secret, LABEL, suite.hashLength());
    }

    /** {@code (generation << R) + (step mod 2^R)}. */
    public static long kid(long generation, long step, int ratchetBits) {
        return (generation << ratchetBits) + (step & mask(ratchetBits));
    }

    /** The generation a KID names. */
    public static long generationOf(long kid, int ratchetBits) {
        return kid >>> ratchetBits;
    }

    public long generation() {
        return generation;
    }

    public long step() {
        return step;
    }

    /** KID of the current step. */
    public long kid() {
        return kid(generation, step, ratchetBits);
    }

    /** Base key of the current step (a copy). */
    public byte[] baseKey() {
        return baseKey.clone();
    }

    /** Moves to the next step and forgets the previous key. */
    public void advance() {
        baseKey = next(suite, baseKey);
        step++;
    }

    /**
     * Moves forward to the step whose low R bits {@code kid} carries. Returns false, without moving, when the KID
     * belongs to another generation.
     */
    public boolean advanceTo(long kid) {
        if (generationOf(kid, ratchetBits) != generation) {
            return false;
        }
        long ahead = (kid - step) & mask(ratchetBits);
        for (long i = 0; i < ahead; i++) {
            advance();
        }
        return true;
    }

    private static long mask(int bits) {
        return (1L << bits) - 1;
    }
}
