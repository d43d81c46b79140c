package org.conclave.sfu.sctp;

import org.conclave.sfu.sctp.chunk.Chunk;
import org.conclave.sfu.sctp.chunk.SctpPacket;
import org.conclave.sfu.sctp.chunk.Wire;

/** Bundles chunks into one outgoing packet of at most the path MTU, in a buffer reused for every packet. */
final class PacketBuilder {
    private final byte[] buf;
    private final int sourcePort;
    private final int destinationPort;
    private int length;
    private int chunks;

    PacketBuilder(int mtu, int sourcePort, int destinationPort) {
        // Chunks are padded to 4 bytes: an MTU that is not a multiple of 4 (a DTLS record limit of 1163, say) would
        // let a fragment fill the packet and its padding overrun it.
        this.buf = new byte[mtu & ~3];
        this.sourcePort = sourcePort;
        this.destinationPort = destinationPort;
    }

    void begin(int verificationTag) {
        SctpPacket.writeHeader(buf, 0, sourcePort, destinationPort, verificationTag);
        length = SctpPacket.HEADER_LENGTH;
        chunks = 0;
    }

    int remaining() {
        return buf.length - length;
    }

    boolean fits(Chunk c) {
        return Wire.padded(c.length()) <= remaining();
    }

    void add(Chunk c) {
        length += c.write(buf, length);
        chunks++;
    }

    boolean isEmpty() {
        return chunks == 0;
    }

    /** Seals the checksum and hands the packet out; the buffer is reused as soon as {@code send} returns. */
    void send(SctpAssociation.PacketOut out) {
        SctpPacket.seal(buf, 0, length);
        out.send(buf, 0, length);
    }
}
