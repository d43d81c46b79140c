package org.conclave.sfu.sctp.chunk;

/**
 * A chunk type this stack does not implement (I-DATA, AUTH, ASCONF, ...). The association applies
 * {@link ChunkType.UnknownAction} to it; {@link #raw} is the chunk as received, for an Unrecognized Chunk Type report.
 */
public record UnknownChunk(int type, int flags, byte[] value) implements Chunk {
    public ChunkType.UnknownAction action() {
        return ChunkType.UnknownAction.of(type);
    }

    public byte[] raw() {
        byte[] b = new byte[Wire.padded(length())];
        write(b, 0);
        return java.util.Arrays.copyOf(b, length());
    }

    @Override
    public int length() {
        return 4 + value.length;
    }

    @Override
    public int write(byte[] b, int off) {
        Wire.chunkHeader(b, off, type, flags, length());
        System.arraycopy(value, 0, b, off + 4, value.length);
        return Wire.padded(length());
    }
}
