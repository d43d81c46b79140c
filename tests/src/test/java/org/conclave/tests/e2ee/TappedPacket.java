package org.conclave.tests.e2ee;

import org.conclave.sfu.rtp.RtpPacket;

/** A copy of one RTP packet as the SFU saw it after hop-by-hop SRTP decryption, and the endpoint it came from. */
record TappedPacket(String endpointId, byte[] rtp) {
    int ssrc() {
        return RtpPacket.ssrc(rtp, 0);
    }

    int sequence() {
        return RtpPacket.sequence(rtp, 0);
    }

    long timestamp() {
        return RtpPacket.timestamp(rtp, 0);
    }

    boolean marker() {
        return RtpPacket.marker(rtp, 0);
    }

    int payloadOffset() {
        return RtpPacket.payloadOffset(rtp, 0);
    }

    /** Without RTP padding. */
    int payloadLength() {
        return RtpPacket.payloadLength(rtp, 0, rtp.length);
    }
}
