package org.conclave.sfu.sctp.chunk;

import java.util.List;

/** ERROR (RFC 9260 §3.3.10): one or more error causes reported without ending the association. */
public record ErrorChunk(List<ErrorCause> causes) implements Chunk {
    public ErrorChunk {
        causes = List.copyOf(causes);
    }

    static ErrorChunk parse(byte[] b, int v, int valueLength) throws SctpFormatException {
        return new ErrorChunk(ErrorCause.parseAll(b, v, valueLength));
    }

    @Override
    public int type() {
        return ChunkType.ERROR;
    }

    @Override
    public int length() {
        return 4 + ErrorCause.lengthOf(causes);
    }

    @Override
    public int write(byte[] b, int off) {
        Wire.chunkHeader(b, off, ChunkType.ERROR, 0, length());
        ErrorCause.writeAll(causes, b, off + 4);
        return Wire.padded(length());
    }
}
