package org.conclave.sfu.rtcp;

/**
 * Validates and iterates a compound RTCP packet (RFC 3550 §6.1) without allocation. Reduced-size RTCP (RFC 5506) is
 * accepted: no SR/RR is required first. Each packet must have version 2, a length field that fits, and consistent
 * padding; packet types are not checked here (see {@link #kind()}).
 *
 * <p>A reusable cursor: {@link #reset} validates, then {@link #next} walks the packets before the first bad one, so a
 * caller may act on a valid prefix or drop the whole datagram. Not thread-safe.
 */
public final class RtcpCompound {
    private byte[] buffer;
    private int end;
    private int nextPos;
    private int validEnd;
    private int validPackets;
    private int error;
    private int errorOffset;
    private int packetOffset;
    private int packetLength;

    /**
     * Validates a compound packet.
     *
     * @return the number of packets, or the negative {@link RtcpPacket} {@code ERR_*} code of the first bad one
     */
    public static int validate(byte[] b, int off, int len) {
        if (b == null || off < 0 || len < 0 || len > b.length - off) {
            return RtcpPacket.ERR_BOUNDS;
        }
        if (len == 0) {
            return RtcpPacket.ERR_TOO_SHORT;
        }
        int end = off + len;
        int packets = 0;
        for (int pos = off; pos < end; packets++) {
            int length = RtcpPacket.checkHeader(b, pos, end);
            if (length < 0) {
                return length;
            }
            pos += length;
        }
        return packets;
    }

    /**
     * Validates {@code b[off..off+len)} and positions the cursor before its first packet.
     *
     * @return as {@link #validate}
     */
    public int reset(byte[] b, int off, int len) {
        buffer = b;
        validPackets = 0;
        error = 0;
        errorOffset = -1;
        packetOffset = -1;
        packetLength = 0;
        if (b == null || off < 0 || len < 0 || len > b.length - off) {
            end = 0;
            nextPos = 0;
            validEnd = 0;
            error = RtcpPacket.ERR_BOUNDS;
            return error;
        }
        end = off + len;
        nextPos = off;
        int pos = off;
        if (len == 0) {
            error = RtcpPacket.ERR_TOO_SHORT;
            errorOffset = off;
        }
        while (pos < end) {
            int length = RtcpPacket.checkHeader(b, pos, end);
            if (length < 0) {
                error = length;
                errorOffset = pos;
                break;
            }
            pos += length;
            validPackets++;
        }
        validEnd = pos;
        return error < 0 ? error : validPackets;
    }

    /** Moves to the next valid packet; false after the last one (or at the first bad one). */
    public boolean next() {
        if (nextPos >= validEnd) {
            packetOffset = -1;
            packetLength = 0;
            return false;
        }
        packetOffset = nextPos;
        packetLength = RtcpPacket.lengthBytes(buffer, nextPos);
        nextPos += packetLength;
        return true;
    }

    /** 0 if the whole compound packet is valid, else the first bad packet's {@code ERR_*} code. */
    public int error() {
        return error;
    }

    /** Absolute offset of the first bad packet, -1 if none. */
    public int errorOffset() {
        return errorOffset;
    }

    /** Packets before the first bad one (all of them when valid). */
    public int validPackets() {
        return validPackets;
    }

    public byte[] buffer() {
        return buffer;
    }

    /** Absolute offset of the current packet. */
    public int offset() {
        return packetOffset;
    }

    /** Length in bytes of the current packet, padding included. */
    public int length() {
        return packetLength;
    }

    public int packetType() {
        return RtcpPacket.packetType(buffer, packetOffset);
    }

    /** Report count or feedback FMT of the current packet. */
    public int count() {
        return RtcpPacket.count(buffer, packetOffset);
    }

    public RtcpKind kind() {
        return RtcpPacket.kind(buffer, packetOffset, packetLength);
    }
}
