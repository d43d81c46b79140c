package org.conclave.sfu.transport;

import java.nio.ByteBuffer;

/**
 * RFC 4571 framing of a TCP byte stream (ICE-TCP, RFC 6544): each packet is preceded by its length, 16 bits in network
 * order. Bytes from the socket go into one preallocated buffer ({@link #readTarget()}); complete frames are handed out
 * in place ({@link #next()}). The buffer holds a frame of {@code maxFrame} bytes with its header and no more: a longer
 * length ends the stream ({@link #TOO_LONG}), so a peer cannot make the reader grow or wait for 64 KiB. No allocation
 * after construction. One thread at a time.
 */
public final class FrameReader {
    public static final int HEADER_LENGTH = 2;
    /** {@link #next()}: no complete frame buffered yet. */
    public static final int NEED_MORE = -1;
    /** {@link #next()}: the next frame announces more than {@code maxFrame} bytes; the stream is unusable. */
    public static final int TOO_LONG = -2;

    private final byte[] buf;
    private final ByteBuffer view;
    private final int maxFrame;
    /** Unconsumed bytes are buf[start, end); the last frame {@link #next()} returned starts at frameOffset. */
    private int start;
    private int end;
    private int frameOffset;

    /** @param maxFrame longest frame accepted (payload bytes, 1..65535) */
    public FrameReader(int maxFrame) {
        if (maxFrame < 1 || maxFrame > 0xFFFF) throw new IllegalArgumentException("maxFrame " + maxFrame);
        this.maxFrame = maxFrame;
        // Twice a frame: one read usually brings a frame and the start of the next without a compaction in between.
        this.buf = new byte[2 * (HEADER_LENGTH + maxFrame)];
        this.view = ByteBuffer.wrap(buf);
    }

    /**
     * Where the next socket read goes (the free space after the unconsumed bytes, which are moved to the front first);
     * call {@link #filled()} after reading into it.
     */
    public ByteBuffer readTarget() {
        compact();
        view.limit(buf.length).position(end);
        return view;
    }

    /** The read into {@link #readTarget()} is done: its bytes become available to {@link #next()}. */
    public void filled() {
        end = view.position();
    }

    /** Copies as many of {@code len} bytes as fit (tests, fuzzing, and whoever does not read from a channel). */
    public int offer(byte[] src, int off, int len) {
        compact();
        int n = Math.min(len, buf.length - end);
        System.arraycopy(src, off, buf, end, n);
        end += n;
        return n;
    }

    /**
     * Consumes the next complete frame. @return its length (its bytes are {@link #array()} from {@link #frameOffset()},
     * valid until the next call that reads or offers), or {@link #NEED_MORE}, or {@link #TOO_LONG}
     */
    public int next() {
        int len = peek();
        if (len >= 0) {
            frameOffset = start + HEADER_LENGTH;
            start = frameOffset + len;
        }
        return len;
    }

    /** Like {@link #next()} without consuming: the frame (if complete) starts at {@link #peekOffset()}. */
    public int peek() {
        if (end - start < HEADER_LENGTH) return NEED_MORE;
        int len = (buf[start] & 0xFF) << 8 | buf[start + 1] & 0xFF;
        if (len > maxFrame) return TOO_LONG;
        return end - start - HEADER_LENGTH >= len ? len : NEED_MORE;
    }

    public byte[] array() {
        return buf;
    }

    /** Where the frame the last {@link #next()} returned starts. */
    public int frameOffset() {
        return frameOffset;
    }

    /** Where a frame {@link #peek()} found starts. */
    public int peekOffset() {
        return start + HEADER_LENGTH;
    }

    /** Bytes received and not yet consumed as frames. */
    public int buffered() {
        return end - start;
    }

    private void compact() {
        if (start == 0) return;
        System.arraycopy(buf, start, buf, 0, end - start);
        end -= start;
        start = 0;
    }
}
