package org.conclave.sfu.sctp.chunk;

import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * An SCTP packet as carried in a DTLS record (RFC 8261): the common header (ports, verification tag, CRC32c) and its
 * chunks. {@link #parse} checks the checksum and every chunk's bounds; it stops after an unknown chunk whose type says
 * "stop" (that chunk is the last in the list). The CRC32c is stored little-endian, as RFC 9260 Appendix B implies and
 * every implementation does.
 */
public record SctpPacket(int sourcePort, int destinationPort, int verificationTag, List<Chunk> chunks) {
    public static final int HEADER_LENGTH = 12;
    /** Larger inputs are rejected without parsing; a DTLS record holds at most 2^14 bytes anyway. */
    public static final int MAX_LENGTH = 65536;

    public SctpPacket {
        chunks = List.copyOf(chunks);
    }

    public static SctpPacket parse(byte[] b, int off, int len) throws SctpFormatException {
        if (len < HEADER_LENGTH) throw new SctpFormatException("shorter than the common header");
        if (len > MAX_LENGTH) throw new SctpFormatException("longer than " + MAX_LENGTH);
        if (!checksumValid(b, off, len)) throw new SctpFormatException("bad CRC32c");
        List<Chunk> chunks = new ArrayList<>();
        int end = off + len;
        int pos = off + HEADER_LENGTH;
        while (pos < end) {
            if (end - pos < Chunk.HEADER_LENGTH) throw new SctpFormatException("truncated chunk header");
            int type = Wire.u8(b, pos);
            int flags = Wire.u8(b, pos + 1);
            int length = Wire.u16(b, pos + 2);
            if (length < Chunk.HEADER_LENGTH || length > end - pos) {
                throw new SctpFormatException("bad chunk length " + length);
            }
            Chunk chunk = chunk(type, flags, b, pos + Chunk.HEADER_LENGTH, length - Chunk.HEADER_LENGTH);
            chunks.add(chunk);
            if (chunk instanceof UnknownChunk u && u.action().stops()) break;
            pos = Math.min(end, pos + Wire.padded(length));
        }
        return new SctpPacket(Wire.u16(b, off), Wire.u16(b, off + 2), Wire.i32(b, off + 4), chunks);
    }

    private static Chunk chunk(int type, int flags, byte[] b, int v, int n) throws SctpFormatException {
        return switch (type) {
            case ChunkType.DATA -> DataChunk.parse(flags, b, v, n);
            case ChunkType.INIT -> InitChunk.parse(false, b, v, n);
            case ChunkType.INIT_ACK -> InitChunk.parse(true, b, v, n);
            case ChunkType.SACK -> SackChunk.parse(b, v, n);
            case ChunkType.HEARTBEAT -> HeartbeatChunk.parse(false, b, v, n);
            case ChunkType.HEARTBEAT_ACK -> HeartbeatChunk.parse(true, b, v, n);
            case ChunkType.ABORT -> AbortChunk.parse(flags, b, v, n);
            case ChunkType.SHUTDOWN -> ShutdownChunk.parse(b, v, n);
            case ChunkType.SHUTDOWN_ACK -> ShutdownAckChunk.parse(n);
            case ChunkType.ERROR -> ErrorChunk.parse(b, v, n);
            case ChunkType.COOKIE_ECHO -> CookieEchoChunk.parse(b, v, n);
            case ChunkType.COOKIE_ACK -> CookieAckChunk.parse(n);
            case ChunkType.SHUTDOWN_COMPLETE -> ShutdownCompleteChunk.parse(flags, n);
            case ChunkType.RE_CONFIG -> ReConfigChunk.parse(b, v, n);
            case ChunkType.FORWARD_TSN -> ForwardTsnChunk.parse(b, v, n);
            default -> new UnknownChunk(type, flags, java.util.Arrays.copyOfRange(b, v, v + n));
        };
    }

    /** CRC32c over the packet with the checksum field taken as zero. */
    public static int checksum(byte[] b, int off, int len) {
        CRC32C crc = new CRC32C();
        crc.update(b, off, 8);
        crc.update(ZEROS, 0, 4);
        crc.update(b, off + HEADER_LENGTH, len - HEADER_LENGTH);
        return (int) crc.getValue();
    }

    public static boolean checksumValid(byte[] b, int off, int len) {
        int stored = Integer.reverseBytes(Wire.i32(b, off + 8));
        return stored == checksum(b, off, len);
    }

    public static void writeHeader(byte[] b, int off, int sourcePort, int destinationPort, int verificationTag) {
        Wire.put16(b, off, sourcePort);
        Wire.put16(b, off + 2, destinationPort);
        Wire.put32(b, off + 4, verificationTag);
        Wire.put32(b, off + 8, 0);
    }

    /** Fills in the checksum of the finished packet {@code [off, off+len)}. */
    public static void seal(byte[] b, int off, int len) {
        Wire.put32(b, off + 8, Integer.reverseBytes(checksum(b, off, len)) & 0xFFFFFFFFL);
    }

    /** The bytes of this packet, checksum included. */
    public byte[] encode() {
        int len = HEADER_LENGTH;
        for (Chunk c : chunks) len += Wire.padded(c.length());
        byte[] b = new byte[len];
        writeHeader(b, 0, sourcePort, destinationPort, verificationTag);
        int p = HEADER_LENGTH;
        for (Chunk c : chunks) p += c.write(b, p);
        seal(b, 0, len);
        return b;
    }

    private static final byte[] ZEROS = new byte[4];
}
