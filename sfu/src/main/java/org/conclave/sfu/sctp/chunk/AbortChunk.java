package org.conclave.sfu.sctp.chunk;

import java.util.List;

/**
 * ABORT (RFC 9260 §3.3.7). {@code reflected} is the T bit: the packet carries the receiver's own tag back because the
 * sender has no association state.
 */
public record AbortChunk(boolean reflected, List<ErrorCause> causes) implements Chunk {
    public AbortChunk {
        causes = List.copyOf(causes);
    }

    static AbortChunk parse(int flags, byte[] b, int v, int valueLength) throws SctpFormatException {
        return new AbortChunk((flags & 1) != 0, ErrorCause.parseAll(b, v, valueLength));
    }

    @Override
    public int type() {
        return ChunkType.ABORT;
    }

    @Override
    public int length() {
        return 4 + ErrorCause.lengthOf(causes);
    }

    @Override
    public int write(byte[] b, int off) {
        Wire.chunkHeader(b, off, ChunkType.ABORT, reflected ? 1 : 0, length());
        ErrorCause.writeAll(causes, b, off + 4);
        return Wire.padded(length());
    }
}
