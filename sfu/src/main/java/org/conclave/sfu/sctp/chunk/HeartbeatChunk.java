package org.conclave.sfu.sctp.chunk;

/**
 * HEARTBEAT and HEARTBEAT-ACK (RFC 9260 §3.3.5–6): exactly one Heartbeat Info parameter whose value is opaque to the
 * receiver, which echoes it unchanged.
 */
public record HeartbeatChunk(boolean ack, byte[] info) implements Chunk {
    public static final int PARAM_HEARTBEAT_INFO = 1;

    static HeartbeatChunk parse(boolean ack, byte[] b, int v, int valueLength) throws SctpFormatException {
        TlvReader p = new TlvReader(b, v, v + valueLength);
        if (!p.next() || p.type != PARAM_HEARTBEAT_INFO) {
            throw new SctpFormatException("HEARTBEAT without Heartbeat Info");
        }
        byte[] info = p.value();
        if (p.next()) throw new SctpFormatException("HEARTBEAT with more than one parameter");
        return new HeartbeatChunk(ack, info);
    }

    @Override
    public int type() {
        return ack ? ChunkType.HEARTBEAT_ACK : ChunkType.HEARTBEAT;
    }

    @Override
    public int length() {
        return 8 + info.length;
    }

    @Override
    public int write(byte[] b, int off) {
        Wire.chunkHeader(b, off, type(), 0, length());
        Wire.paramHeader(b, off + 4, PARAM_HEARTBEAT_INFO, 4 + info.length);
        System.arraycopy(info, 0, b, off + 8, info.length);
        return Wire.padded(length());
    }
}
