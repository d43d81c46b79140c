package org.conclave.sfu.sctp.chunk;

/**
 * SACK (RFC 9260 §3.3.4). Gap ack block {@code i} covers TSNs {@code cumulativeTsnAck + gapStarts[i]} to
 * {@code cumulativeTsnAck + gapEnds[i]}; the offsets are unsigned 16-bit, so {@code int} holds them. Validity of the
 * blocks (start ≤ end, ascending) is checked by the user, which may ignore bad ones.
 */
public record SackChunk(int cumulativeTsnAck, long aRwnd, int[] gapStarts, int[] gapEnds, int[] duplicateTsns)
        implements Chunk {
    private static final int FIXED_LENGTH = 16;

    public SackChunk {
        if (gapStarts.length != gapEnds.length) {
            throw new IllegalArgumentException("gap starts and ends differ in count");
        }
    }

    static SackChunk parse(byte[] b, int v, int valueLength) throws SctpFormatException {
        if (valueLength < FIXED_LENGTH - Chunk.HEADER_LENGTH) {
            throw new SctpFormatException("SACK shorter than 16 bytes");
        }
        int gaps = Wire.u16(b, v + 8);
        int dups = Wire.u16(b, v + 10);
        if (valueLength != 12 + 4 * gaps + 4 * dups) {
            throw new SctpFormatException("SACK length does not match its counts");
        }
        int[] starts = new int[gaps];
        int[] ends = new int[gaps];
        for (int i = 0; i < gaps; i++) {
            starts[i] = Wire.u16(b, v + 12 + 4 * i);
            ends[i] = Wire.u16(b, v + 14 + 4 * i);
        }
        int[] duplicates = new int[dups];
        for (int i = 0; i < dups; i++) duplicates[i] = Wire.i32(b, v + 12 + 4 * gaps + 4 * i);
        return new SackChunk(Wire.i32(b, v), Wire.u32(b, v + 4), starts, ends, duplicates);
    }

    @Override
    public int type() {
        return ChunkType.SACK;
    }

    @Override
    public int length() {
        return FIXED_LENGTH + 4 * gapStarts.length + 4 * duplicateTsns.length;
    }

    @Override
    public int write(byte[] b, int off) {
        Wire.chunkHeader(b, off, ChunkType.SACK, 0, length());
        Wire.put32(b, off + 4, cumulativeTsnAck);
        Wire.put32(b, off + 8, aRwnd);
        Wire.put16(b, off + 12, gapStarts.length);
        Wire.put16(b, off + 14, duplicateTsns.length);
        int p = off + FIXED_LENGTH;
        for (int i = 0; i < gapStarts.length; i++, p += 4) {
            Wire.put16(b, p, gapStarts[i]);
            Wire.put16(b, p + 2, gapEnds[i]);
        }
        for (int d : duplicateTsns) {
            Wire.put32(b, p, d);
            p += 4;
        }
        return length();
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("SACK[cum=").append(Integer.toUnsignedString(cumulativeTsnAck))
                .append(" rwnd=").append(aRwnd);
        for (int i = 0; i < gapStarts.length; i++) {
            s.append(" gap ").append(gapStarts[i]).append('-').append(gapEnds[i]);
        }
        for (int d : duplicateTsns) s.append(" dup ").append(Integer.toUnsignedString(d));
        return s.append(']').toString();
    }
}
