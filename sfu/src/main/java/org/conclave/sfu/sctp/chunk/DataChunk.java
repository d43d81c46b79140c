package org.conclave.sfu.sctp.chunk;

import java.util.Arrays;

/**
 * DATA (RFC 9260 §3.3.1): one fragment of a user message. {@code beginning}/{@code ending} are the B/E flags (both
 * set for an unfragmented message); {@code ssn} is meaningless for unordered chunks. An empty payload parses (the
 * association answers it with ABORT "No User Data") but is never written.
 */
public record DataChunk(int tsn, int streamId, int ssn, int ppid, boolean unordered, boolean beginning, boolean ending,
                        byte[] payload) implements Chunk {
    public static final int HEADER_LENGTH = 16;
    static final int FLAG_END = 1;
    static final int FLAG_BEGIN = 2;
    static final int FLAG_UNORDERED = 4;

    static DataChunk parse(int flags, byte[] b, int v, int valueLength) throws SctpFormatException {
        if (valueLength < HEADER_LENGTH - Chunk.HEADER_LENGTH) {
            throw new SctpFormatException("DATA shorter than its header");
        }
        return new DataChunk(Wire.i32(b, v), Wire.u16(b, v + 4), Wire.u16(b, v + 6), Wire.i32(b, v + 8),
                (flags & FLAG_UNORDERED) != 0, (flags & FLAG_BEGIN) != 0, (flags & FLAG_END) != 0,
                Arrays.copyOfRange(b, v + 12, v + valueLength));
    }

    @Override
    public int type() {
        return ChunkType.DATA;
    }

    @Override
    public int length() {
        return HEADER_LENGTH + payload.length;
    }

    @Override
    public int write(byte[] b, int off) {
        int flags = (unordered ? FLAG_UNORDERED : 0) | (beginning ? FLAG_BEGIN : 0) | (ending ? FLAG_END : 0);
        Wire.chunkHeader(b, off, ChunkType.DATA, flags, length());
        Wire.put32(b, off + 4, tsn);
        Wire.put16(b, off + 8, streamId);
        Wire.put16(b, off + 10, ssn);
        Wire.put32(b, off + 12, ppid);
        System.arraycopy(payload, 0, b, off + HEADER_LENGTH, payload.length);
        return Wire.padded(length());
    }

    @Override
    public String toString() {
        return "DATA[tsn=" + Integer.toUnsignedString(tsn) + " sid=" + streamId + " ssn=" + ssn + " ppid=" + ppid
                + (unordered ? " U" : "") + (beginning ? " B" : "") + (ending ? " E" : "")
                + " len=" + payload.length + "]";
    }
}
