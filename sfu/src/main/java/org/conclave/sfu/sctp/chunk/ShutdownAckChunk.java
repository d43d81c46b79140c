package org.conclave.sfu.sctp.chunk;

/** SHUTDOWN-ACK (RFC 9260 §3.3.9). */
public record ShutdownAckChunk() implements Chunk {
    static ShutdownAckChunk parse(int valueLength) throws SctpFormatException {
        if (valueLength != 0) throw new SctpFormatException("SHUTDOWN-ACK with a value");
        return new ShutdownAckChunk();
    }

    @Override
    public int type() {
        return ChunkType.SHUTDOWN_ACK;
    }

    @Override
    public int length() {
        return 4;
    }

    @Override
    public int write(byte[] b, int off) {
        Wire.chunkHeader(b, off, ChunkType.SHUTDOWN_ACK, 0, 4);
        return 4;
    }
}
