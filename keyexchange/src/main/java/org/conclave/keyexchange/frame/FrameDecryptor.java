package org.conclave.keyexchange.frame;

import java.util.Arrays;
import org.conclave.keyexchange.sframe.SFrameException;
import org.conclave.keyexchange.sframe.SFrameReceiver;

/**
 * Reverses {@link FrameEncryptor}: finds the readable prefix from the frame's clear bytes, undoes the H264 escaping,
 * decrypts the SFrame part with the prefix as metadata and writes prefix plus plaintext. Empty frames pass through.
 * One thread at a time.
 */
public final class FrameDecryptor {
    private final SFrameReceiver receiver;
    private byte[] scratch = new byte[0];

    public FrameDecryptor(SFrameReceiver receiver) {
        this.receiver = receiver;
    }

    public SFrameReceiver receiver() {
        return receiver;
    }

    /**
     * Decrypts {@code frame[off, off+len)} into {@code out[outOff]} (room for {@code len} bytes, not overlapping the
     * input); returns the bytes written.
     */
    public int decrypt(FrameCodec codec, byte[] frame, int off, int len, byte[] out, int outOff)
            throws SFrameException {
        if (len == 0) {
            return 0;
        }
        int prefix = ReadablePrefix.length(codec, frame, off, len);
        if (prefix >= len) {
            throw new SFrameException.Syntax(codec + " frame of " + len + " bytes has no SFrame header after its "
                    + prefix + "-byte readable prefix");
        }
        int mdStart = ReadablePrefix.metadataStart(codec, frame, off, len);
        System.arraycopy(frame, off, out, outOff, prefix);
        if (codec != FrameCodec.H264) {
            return prefix + receiver.decrypt(frame, off + prefix, len - prefix,
                    frame, off + mdStart, prefix - mdStart, out, outOff + prefix);
        }
        if (scratch.length < len - prefix) {
            scratch = new byte[len - prefix];
        }
        int zeros = EmulationPrevention.trailingZeros(frame, off, prefix);
        int sealed = EmulationPrevention.unescape(frame, off + prefix, len - prefix, zeros, scratch, 0);
        return prefix + receiver.decrypt(scratch, 0, sealed, frame, off + mdStart, prefix - mdStart,
                out, outOff + prefix);
    }

    /** Convenience form returning a new array. */
    public byte[] decrypt(FrameCodec codec, byte[] frame) throws SFrameException {
        byte[] out = new byte[frame.length];
        return Arrays.copyOf(out, decrypt(codec, frame, 0, frame.length, out, 0));
    }
}
