package org.conclave.sfu.sctp.chunk;

/** COOKIE-ECHO (RFC 9260 §3.3.11): the State Cookie from our INIT-ACK, returned as is. */
public record CookieEchoChunk(byte[] cookie) implements Chunk {
    static CookieEchoChunk parse(byte[] b, int v, int valueLength) {
        return new CookieEchoChunk(java.util.Arrays.copyOfRange(b, v, v + valueLength));
    }

    @Override
    public int type() {
        return ChunkType.COOKIE_ECHO;
    }

    @Override
    public int length() {
        return 4 + cookie.length;
    }

    @Override
    public int write(byte[] b, int off) {
        Wire.chunkHeader(b, off, ChunkType.COOKIE_ECHO, 0, length());
        System.arraycopy(cookie, 0, b, off + 4, cookie.length);
        return Wire.padded(length());
    }
}
