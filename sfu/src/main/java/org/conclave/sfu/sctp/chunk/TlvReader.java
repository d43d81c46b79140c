package org.conclave.sfu.sctp.chunk;

/**
 * Walks type-length-value items (parameters, error causes) in {@code [pos, end)}. Each item's length covers its
 * 4-byte header and value, not its padding; the last item's padding may be missing (RFC 9260 §3.2).
 */
final class TlvReader {
    private final byte[] b;
    private final int end;
    private int pos;
    int type;
    int start;
    int length;
    int valueOffset;
    int valueLength;

    TlvReader(byte[] b, int pos, int end) {
        this.b = b;
        this.pos = pos;
        this.end = end;
    }

    boolean next() throws SctpFormatException {
        if (pos >= end) return false;
        if (end - pos < 4) throw new SctpFormatException("truncated parameter header");
        type = Wire.u16(b, pos);
        length = Wire.u16(b, pos + 2);
        if (length < 4 || length > end - pos) throw new SctpFormatException("bad parameter length " + length);
        start = pos;
        valueOffset = pos + 4;
        valueLength = length - 4;
        pos = Math.min(end, pos + Wire.padded(length));
        return true;
    }

    byte[] value() {
        return java.util.Arrays.copyOfRange(b, valueOffset, valueOffset + valueLength);
    }

    /** The whole item, header included, without padding. */
    byte[] item() {
        return java.util.Arrays.copyOfRange(b, start, start + length);
    }
}
