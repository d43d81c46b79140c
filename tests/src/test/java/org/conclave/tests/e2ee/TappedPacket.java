package org.conclave.tests.e2ee;

import org.conclave.sfu.rtp.RtpPacket;

/** A copy of one RTP packet as the SFU saw it after hop-by-hop SRTP decryption, and the endpoint it came from. */
public record TappedPacket(String endpointId, byte[] rtp) {
    public int ssrc() {
        return RtpPacket.ssrc(rtp, 0);
    }

    public int sequence() {
        return RtpPacket.sequence(rtp, 0);
    }

    public long timestamp() {
        return RtpPacket.timestamp(rtp, 0);
    }

    public boolean marker() {
        return RtpPacket.marker(rtp, 0);
    }

    public int payloadOffset() {
        return RtpPacket.payloadOffset(rtp, 0);
    }

    /** Without RTP padding. */
    public int payloadLength() {
        return RtpPacket.payloadLength(rtp, 0, rtp.length);
    }
}
