package org.conclave.sfu.dtls;

/** Why a DTLS session failed, coarse enough to act on (retry, tell the user, fix the SDP). */
public enum FailureKind {
    /** The peer's certificate does not hash to any fingerprint from its SDP (or it sent none). */
    FINGERPRINT_MISMATCH,
    /** The peer offered no SRTP protection profile we support (or no use_srtp extension at all). */
    NO_COMMON_SRTP_PROFILE,
    /** The handshake did not finish within the configured time. */
    TIMEOUT,
    /** A fatal TLS alert was received from the peer, or sent by us for a protocol error. */
    ALERT,
    /** Anything else: I/O errors, missing extended master secret, internal errors. */
    OTHER
}
