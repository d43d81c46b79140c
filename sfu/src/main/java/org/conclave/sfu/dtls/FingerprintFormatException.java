package org.conclave.sfu.dtls;

/** An SDP {@code a=fingerprint} value that {@link Fingerprint#parse} cannot accept. */
public final class FingerprintFormatException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public FingerprintFormatException(String message) {
        super(message);
    }
}
