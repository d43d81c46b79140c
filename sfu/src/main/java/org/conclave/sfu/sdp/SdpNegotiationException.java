package org.conclave.sfu.sdp;

/** Well-formed SDP that the SFU cannot agree to (no BUNDLE, no rtcp-mux, wrong DTLS role, nothing usable). */
public final class SdpNegotiationException extends SdpException {
    public SdpNegotiationException(String message) {
        super(message);
    }
}
