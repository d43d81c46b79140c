package org.conclave.sfu.sctp.chunk;

/**
 * FORWARD-TSN (RFC 3758 §3.2): the receiver moves its cumulative TSN to {@code newCumulativeTsn}, dropping what it
 * holds up to there; for each entry, ordered stream {@code streamIds[i]} skips to after SSN {@code ssns[i]}.
 */
public record ForwardTsnChunk(int newCumulativeTsn, int[] streamIds, int[] ssns) implements Chunk {
    public ForwardTsnChunk {
        if (streamIds.length != ssns.length) throw new IllegalArgumentException("stream ids and SSNs differ in count");
    }

    static ForwardTsnChunk parse(byte[] b, int v, int valueLength) throws SctpFormatException {
        if (valueLength < 4 || valueLength % 4 != 0) throw new SctpFormatException("FORWARD-TSN length is not 8 + 4n");
        int n = (valueLength - 4) / 4;
        int[] streams = new int[n];
        int[] ssns = new int[n];
        for (int i = 0; i < n; i++) {
            streams[i] = Wire.u16(b, v + 4 + 4 * i);
            ssns[i] = Wire.u16(b, v + 6 + 4 * i);
        }
        return new ForwardTsnChunk(Wire.i32(b, v), streams, ssns);
    }

    @Override
    public int type() {
        return ChunkType.FORWARD_TSN;
    }

    @Override
    public int length() {
        return 8 + 4 * streamIds.length;
    }

    @Override
    public int write(byte[] b, int off) {
        Wire.chunkHeader(b, off, ChunkType.FORWARD_TSN, 0, length());
        Wire.put32(b, off + 4, newCumulativeTsn);
        for (int i = 0; i < streamIds.length; i++) {
            Wire.put16(b, off + 8 + 4 * i, streamIds[i]);
            Wire.put16(b, off + 10 + 4 * i, ssns[i]);
        }
        return length();
    }
}
