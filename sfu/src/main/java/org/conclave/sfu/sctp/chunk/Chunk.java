package org.conclave.sfu.sctp.chunk;

/** One SCTP chunk (RFC 9260 §3.2) as a value: parsed from a packet by {@link SctpPacket}, or built to be written. */
public sealed interface Chunk permits DataChunk, InitChunk, SackChunk, HeartbeatChunk, AbortChunk, ErrorChunk,
        ShutdownChunk, ShutdownAckChunk, ShutdownCompleteChunk, CookieEchoChunk, CookieAckChunk, ForwardTsnChunk,
        ReConfigChunk, UnknownChunk {
    int HEADER_LENGTH = 4;

    int type();

    /** The chunk's Length field: header and value, without trailing padding. */
    int length();

    /** Writes the chunk at {@code off} followed by zero padding; returns the bytes written (a multiple of 4). */
    int write(byte[] b, int off);
}
