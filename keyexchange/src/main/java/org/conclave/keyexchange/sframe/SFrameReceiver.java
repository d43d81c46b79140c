package org.conclave.keyexchange.sframe;

import java.util.Arrays;

/**
 * SFrame decryption for the frames of one remote sender: the keys it announced (by KID), each with its own
 * {@link ReplayWindow}. The sender is identified outside SFrame (track or SSRC), as in RFC 9605 §5.1. One thread at a
 * time; keys are few, so they sit in small arrays scanned linearly (no boxing on the per-frame path).
 */
public final class SFrameReceiver {
    private static final int INITIAL_CAPACITY = 8;

    private final CipherSuite suite;
    private final byte[] nonce = new byte[CipherSuite.NONCE_LENGTH];
    private long[] kids = new long[INITIAL_CAPACITY];
    private Installed[] installed = new Installed[INITIAL_CAPACITY];
    private int count;

    private record Installed(FrameKey key, Aead aead, ReplayWindow window) {
    }

    public SFrameReceiver(CipherSuite suite) {
        this.suite = suite;
    }

    public CipherSuite suite() {
        return suite;
    }

    /** Installs (or replaces, with a fresh replay window) the key announced as {@code kid}. */
    public void addKey(long kid, byte[] baseKey) {
        FrameKey key = FrameKey.derive(suite, kid, baseKey);
        Installed entry = new Installed(key, Aead.create(suite, key.key()), new ReplayWindow());
        int i = indexOf(kid);
        if (i >= 0) {
            installed[i] = entry;
            return;
        }
        if (count == kids.length) {
            kids = Arrays.copyOf(kids, count * 2);
            installed = Arrays.copyOf(installed, count * 2);
        }
        kids[count] = kid;
        installed[count] = entry;
        count++;
    }

    /** Forgets the key; returns whether it was installed. */
    public boolean removeKey(long kid) {
        int i = indexOf(kid);
        if (i < 0) {
            return false;
        }
        count--;
        kids[i] = kids[count];
        installed[i] = installed[count];
        installed[count] = null;
        return true;
    }

    public boolean hasKey(long kid) {
        return indexOf(kid) >= 0;
    }

    /** Number of installed keys. */
    public int keyCount() {
        return count;
    }

    /**
     * Decrypts the SFrame ciphertext {@code frame[off, off+len)} whose extra associated data is
     * {@code metadata[mdOff, mdOff+mdLen)}; writes the plaintext at {@code out[outOff]} (room for {@code len} bytes)
     * and returns its length.
     */
    public int decrypt(byte[] frame, int off, int len, byte[] metadata, int mdOff, int mdLen, byte[] out, int outOff)
            throws SFrameException {
        SFrameHeader header = SFrameHeader.decode(frame, off, len);
        int sealedLength = len - header.length();
        if (sealedLength < suite.tagLength()) {
            throw new SFrameException.Syntax("SFrame ciphertext of " + sealedLength + " bytes is shorter than the "
                    + suite.tagLength() + "-byte tag");
        }
        int i = indexOf(header.kid());
        if (i < 0) {
            throw new SFrameException.UnknownKey(header.kid());
        }
        Installed entry = installed[i];
        if (!entry.window().isFresh(header.ctr())) {
            throw new SFrameException.Replay(header.kid(), header.ctr());
        }
        entry.key().nonce(header.ctr(), nonce);
        int n = entry.aead().open(nonce, frame, off, header.length(), metadata, mdOff, mdLen,
                frame, off + header.length(), sealedLength, out, outOff);
        if (n < 0) {
            throw new SFrameException.AuthFailure(header.kid(), header.ctr());
        }
        entry.window().accept(header.ctr());
        return n;
    }

    /** Convenience form returning a new array. */
    public byte[] decrypt(byte[] frame, byte[] metadata) throws SFrameException {
        byte[] out = new byte[frame.length];
        int n = decrypt(frame, 0, frame.length, metadata, 0, metadata.length, out, 0);
        return Arrays.copyOf(out, n);
    }

    private int indexOf(long kid) {
        for (int i = 0; i < count; i++) {
            if (kids[i] == kid) {
                return i;
            }
        }
        return -1;
    }
}
