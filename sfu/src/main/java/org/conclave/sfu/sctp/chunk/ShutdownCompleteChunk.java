package org.conclave.sfu.sctp.chunk;

/** SHUTDOWN-COMPLETE (RFC 9260 §3.3.13); {@code reflected} is the T bit, as in ABORT. */
public record ShutdownCompleteChunk(boolean reflected) implements Chunk {
    static ShutdownCompleteChunk parse(int flags, int valueLength) throws SctpFormatException {
        if (valueLength != 0) throw new SctpFormatException("SHUTDOWN-COMPLETE with a value");
        return new ShutdownCompleteChunk((flags & 1) != 0);
    }

    @Override
    public int type() {
        return ChunkType.SHUTDOWN_COMPLETE;
    }

    @Override
    public int length() {
        return 4;
    }

    @Override
    public int write(byte[] b, int off) {
        Wire.chunkHeader(b, off, ChunkType.SHUTDOWN_COMPLETE, reflected ? 1 : 0, 4);
        return 4;
    }
}
