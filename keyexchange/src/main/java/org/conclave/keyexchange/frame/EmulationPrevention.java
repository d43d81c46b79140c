package org.conclave.keyexchange.frame;

/**
 * H264 emulation prevention applied to the encrypted part of an H264 frame: after two zero bytes, a byte 0x00-0x03 is
 * preceded by 0x03. The RTP packetizer splits frames on {@code 00 00 01}; without this, ciphertext that happens to
 * contain a start code would be cut into bogus NAL units. The zero run is carried over from the clear prefix, so no
 * start code can form across the boundary either. Escaping then unescaping with the same prior run is the identity.
 */
public final class EmulationPrevention {
    private static final int ESCAPE = 0x03;

    private EmulationPrevention() {
    }

    /** Largest output {@link #escape} can produce for {@code length} input bytes. */
    public static int maxEscapedLength(int length) {
        return length + length / 2 + 1;
    }

    /** Zero bytes (0, 1 or 2) at the end of {@code b[off, off+len)} that an escape run continues. */
    public static int trailingZeros(byte[] b, int off, int len) {
        int n = 0;
        while (n < 2 && n < len && b[off + len - 1 - n] == 0) {
            n++;
        }
        return n;
    }

    /** Escapes {@code in[off, off+len)} to {@code out[outOff]}; returns bytes written. */
    public static int escape(byte[] in, int off, int len, int priorZeros, byte[] out, int outOff) {
        int zeros = priorZeros;
        int w = outOff;
        for (int i = 0; i < len; i++) {
            int b = in[off + i] & 0xFF;
            if (zeros >= 2 && b <= ESCAPE) {
                out[w++] = ESCAPE;
                zeros = 0;
            }
            out[w++] = (byte) b;
            zeros = b == 0 ? zeros + 1 : 0;
        }
        return w - outOff;
    }

    /** Removes the escapes {@link #escape} inserted; returns bytes written (never more than {@code len}). */
    public static int unescape(byte[] in, int off, int len, int priorZeros, byte[] out, int outOff) {
        int zeros = priorZeros;
        int w = outOff;
        for (int i = 0; i < len; i++) {
            int b = in[off + i] & 0xFF;
            if (zeros >= 2 && b == ESCAPE) {
                zeros = 0;
                continue;
            }
            out[w++] = (byte) b;
            zeros = b == 0 ? zeros + 1 : 0;
        }
        return w - outOff;
    }
}
