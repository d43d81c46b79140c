package org.conclave.keyexchange.frame;

import java.util.Arrays;
import org.conclave.keyexchange.sframe.SFrameSender;

/**
 * Turns an encoded media frame into its end-to-end encrypted form:
 * <pre>
 * | readable prefix (clear) | SFrame header | ciphertext | tag |
 * </pre>
 * The prefix ({@link ReadablePrefix}) is also the SFrame metadata, so the SFU can read it but not alter it. For H264
 * the part after the prefix is emulation-escaped ({@link EmulationPrevention}). Empty frames pass through unchanged.
 * One thread at a time; the scratch buffer grows to the largest frame and is then reused.
 */
public final class FrameEncryptor {
    private final SFrameSender sender;
    private byte[] scratch = new byte[0];

    public FrameEncryptor(SFrameSender sender) {
        this.sender = sender;
    }

    public SFrameSender sender() {
        return sender;
    }

    /** Room {@link #encrypt} needs for a frame of {@code length} bytes. */
    public int maxOutputLength(int length) {
        return EmulationPrevention.maxEscapedLength(length + sender.maxOverhead());
    }

    /**
     * Encrypts {@code frame[off, off+len)} into {@code out[outOff]} (room for {@link #maxOutputLength}, not
     * overlapping the input); returns the bytes written.
     *
     * @throws IllegalArgumentException if the frame is shorter than its codec's readable prefix (not a real frame)
     */
    public int encrypt(FrameCodec codec, byte[] frame, int off, int len, byte[] out, int outOff) {
        if (len == 0) {
            return 0;
        }
        int prefix = ReadablePrefix.length(codec, frame, off, len);
        if (prefix > len) {
            throw new IllegalArgumentException(codec + " frame of " + len + " bytes is shorter than its "
                    + prefix + "-byte readable prefix");
        }
        int mdStart = ReadablePrefix.metadataStart(codec, frame, off, len);
        System.arraycopy(frame, off, out, outOff, prefix);
        if (codec != FrameCodec.H264) {
            return prefix + sender.encrypt(frame, off + prefix, len - prefix,
                    frame, off + mdStart, prefix - mdStart, out, outOff + prefix);
        }
        int need = len - prefix + sender.maxOverhead();
        if (scratch.length < need) {
            scratch = new byte[need];
        }
        int sealed = sender.encrypt(frame, off + prefix, len - prefix,
                frame, off + mdStart, prefix - mdStart, scratch, 0);
        int zeros = EmulationPrevention.trailingZeros(frame, off, prefix);
        return prefix + EmulationPrevention.escape(scratch, 0, sealed, zeros, out, outOff + prefix);
    }

    /** Convenience form returning a new array. */
    public byte[] encrypt(FrameCodec codec, byte[] frame) {
        byte[] out = new byte[maxOutputLength(frame.length)];
        return Arrays.copyOf(out, encrypt(codec, frame, 0, frame.length, out, 0));
    }
}
