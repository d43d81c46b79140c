package org.conclave.sfu.sctp.chunk;

/** COOKIE-ACK (RFC 9260 §3.3.12). */
public record CookieAckChunk() implements Chunk {
    static CookieAckChunk parse(int valueLength) throws SctpFormatException {
        if (valueLength != 0) throw new SctpFormatException("COOKIE-ACK with a value");
        return new CookieAckChunk();
    }

    @Override
    public int type() {
        return ChunkType.COOKIE_ACK;
    }

    @Override
    public int length() {
        return 4;
    }

    @Override
    public int write(byte[] b, int off) {
        Wire.chunkHeader(b, off, ChunkType.COOKIE_ACK, 0, 4);
        return 4;
    }
}
