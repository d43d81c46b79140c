package org.conclave.sfu.rtp;

/**
 * Reusable iterator over the RFC 8285 elements of one RTP packet (see {@link HeaderExtensions} for the parse rules).
 * Not thread-safe; keep one per thread or per stream.
 */
public final class ExtensionCursor {
    private byte[] buffer;
    private int pos;
    private int end;
    private boolean twoByte;
    private int id;
    private int dataOffset;
    private int dataLength;

    /**
     * Positions the cursor before the first element.
     *
     * @return false if the packet is invalid or has no RFC 8285 elements ({@link #next()} then returns false)
     */
    public boolean reset(byte[] b, int off, int len) {
        buffer = b;
        id = 0;
        dataOffset = -1;
        dataLength = 0;
        int form = RtpPacket.validate(b, off, len) < 0 ? HeaderExtensions.NO_ELEMENTS : HeaderExtensions.form(b, off);
        if (form == HeaderExtensions.NO_ELEMENTS) {
            pos = 0;
            end = 0;
            return false;
        }
        twoByte = form == HeaderExtensions.TWO_BYTE;
        pos = RtpPacket.extensionHeaderOffset(b, off) + 4;
        end = pos + RtpPacket.extensionDataLength(b, off);
        return true;
    }

    /** Advances to the next element; false at the end. */
    public boolean next() {
        if (pos >= end) {
            return false;
        }
        long e = HeaderExtensions.nextElement(buffer, pos, end, twoByte);
        if (e == HeaderExtensions.NOT_FOUND) {
            pos = end;
            return false;
        }
        id = HeaderExtensions.elementId(e);
        dataOffset = HeaderExtensions.elementPos(e) + (twoByte ? 2 : 1);
        dataLength = HeaderExtensions.elementLength(e);
        pos = dataOffset + dataLength;
        return true;
    }

    public boolean twoByteForm() {
        return twoByte;
    }

    public int id() {
        return id;
    }

    /** Absolute offset of the element's data in the packet's array. */
    public int dataOffset() {
        return dataOffset;
    }

    public int dataLength() {
        return dataLength;
    }
}
