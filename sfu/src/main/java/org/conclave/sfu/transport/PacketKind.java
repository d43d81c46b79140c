package org.conclave.sfu.transport;

/** RFC 7983 demultiplexing of the one UDP socket by the first byte of a datagram. */
public enum PacketKind {
    STUN, DTLS, RTP_OR_RTCP, UNKNOWN;

    public static PacketKind of(byte[] b, int off, int len) {
        if (len <= 0) return UNKNOWN;
        int first = b[off] & 0xFF;
        if (first <= 3) return STUN;
        if (first >= 20 && first <= 63) return DTLS;
        if (first >= 128 && first <= 191) return RTP_OR_RTCP;
        return UNKNOWN;
    }
}
