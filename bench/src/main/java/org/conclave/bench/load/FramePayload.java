package org.conclave.bench.load;

/**
 * The layout of an end-to-end-encrypted RTP payload as our clients write it (docs/protocol.md): what stays in clear
 * for the SFU (Opus TOC byte; VP8 payload descriptor and 3 bytes of a delta frame), then the SFrame header (RFC 9605:
 * config byte, key id 1, a 4-byte counter that advances per frame) on the first packet of a frame, then ciphertext.
 * The generator puts its {@link ProbePayload} where the ciphertext starts; the rest, tag included, is filler.
 */
public final class FramePayload {
    /** |X=0|K=1|Y=1|C=3|: key id 1 in the config byte, then a counter of C+1 = 4 bytes. */
    static final int SFRAME_CONFIG = 0x1B;
    static final int SFRAME_HEADER = 5;
    /** Room the SFrame tag takes at the end of a frame (AES-GCM). */
    public static final int SFRAME_TAG = 16;
    /** A client's first counter: 2^24, the smallest 4-byte one (Conclave senders start at or above it). */
    public static final long FIRST_COUNTER = 1L << 24;
    static final int OPUS_TOC = 0xF8; // CELT-only fullband 20 ms, one frame: what a real 20 ms Opus packet has
    static final int VP8_START_OF_PARTITION = 0x10; // descriptor: S=1, PID=0, no extensions
    static final int VP8_CONTINUATION = 0x00;
    /** VP8 payload header of an inter (delta) frame: P=1; the two size bytes are opaque here. */
    static final byte[] VP8_DELTA_CLEAR = {(byte) 0x31, 0x00, 0x00};
    /** Where a probe can start, relative to the payload: continuation, audio, first video packet. */
    static final int[] PROBE_OFFSETS = {1, 1 + SFRAME_HEADER, 1 + VP8_DELTA_CLEAR.length + SFRAME_HEADER};
    /** Smallest payload that holds the clear prefix, header, probe and tag. */
    public static final int MIN_PAYLOAD = 1 + VP8_DELTA_CLEAR.length + SFRAME_HEADER + ProbePayload.LENGTH + SFRAME_TAG;

    private FramePayload() {}

    /** Opus: TOC, SFrame header; returns where the probe goes. */
    static int opus(byte[] b, int off, long frameCounter) {
        b[off] = (byte) OPUS_TOC;
        return sframe(b, off + 1, frameCounter);
    }

    /** First packet of a VP8 delta frame: descriptor, 3 clear bytes, SFrame header; returns where the probe goes. */
    static int vp8FrameStart(byte[] b, int off, long frameCounter) {
        b[off] = (byte) VP8_START_OF_PARTITION;
        System.arraycopy(VP8_DELTA_CLEAR, 0, b, off + 1, VP8_DELTA_CLEAR.length);
        return sframe(b, off + 1 + VP8_DELTA_CLEAR.length, frameCounter);
    }

    /** Any later packet of a VP8 frame: descriptor only; returns where the probe goes. */
    static int vp8Continuation(byte[] b, int off) {
        b[off] = (byte) VP8_CONTINUATION;
        return off + 1;
    }

    private static int sframe(byte[] b, int at, long counter) {
        b[at] = (byte) SFRAME_CONFIG;
        b[at + 1] = (byte) (counter >>> 24);
        b[at + 2] = (byte) (counter >>> 16);
        b[at + 3] = (byte) (counter >>> 8);
        b[at + 4] = (byte) counter;
        return at + SFRAME_HEADER;
    }

    /**
     * The offset of the probe in a payload written by this class, or {@link ProbePayload#NOT_A_PROBE}. Tries the few
     * positions a probe can have; the probe's magic decides. Reads nothing outside {@code b[off..off+len)}.
     */
    public static int findProbe(byte[] b, int off, int len) {
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        for (int rel : PROBE_OFFSETS) {
            if (len - rel >= ProbePayload.LENGTH && ProbePayload.track(b, off + rel, len - rel) >= 0) return off + rel;
        }
        return ProbePayload.NOT_A_PROBE;
    }
}
