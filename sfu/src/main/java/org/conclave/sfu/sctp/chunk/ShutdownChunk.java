package org.conclave.sfu.sctp.chunk;

/** SHUTDOWN (RFC 9260 §3.3.8): starts a graceful close; carries the sender's cumulative TSN ack. */
public record ShutdownChunk(int cumulativeTsnAck) implements Chunk {
    static ShutdownChunk parse(byte[] b, int v, int valueLength) throws SctpFormatException {
        if (valueLength != 4) throw new SctpFormatException("SHUTDOWN length is not 8");
        return new ShutdownChunk(Wire.i32(b, v));
    }

    @Override
    public int type() {
        return ChunkType.SHUTDOWN;
    }

    @Override
    public int length() {
        return 8;
    }

    @Override
    public int write(byte[] b, int off) {
        Wire.chunkHeader(b, off, ChunkType.SHUTDOWN, 0, 8);
        Wire.put32(b, off + 4, cumulativeTsnAck);
        return 8;
    }
}
