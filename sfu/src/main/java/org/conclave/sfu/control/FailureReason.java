package org.conclave.sfu.control;

/** Why an endpoint failed; the appservice maps these to m.call.hangup reasons. */
public enum FailureReason {
    /** No authenticated ICE check arrived in time after the answer. */
    ICE_TIMEOUT,
    /** ICE was connected but consent (RFC 7675) expired: the client went away. */
    ICE_CONSENT_EXPIRED,
    /** The DTLS handshake failed (timeout, alert, no common SRTP profile). */
    DTLS_FAILED,
    /** The client's certificate does not match the a=fingerprint of its SDP. */
    DTLS_FINGERPRINT_MISMATCH,
    /** The client's SDP cannot be used (no BUNDLE, no rtcp-mux, no usable codec, malformed). */
    BAD_SDP,
    /** The SFU is at a configured limit (e.g. max endpoints). */
    CAPACITY,
    /** The client stopped answering the SFU's keep-alive pings on the data channel. */
    KEEP_ALIVE_TIMEOUT,
    /** Anything else; the detail says what. */
    INTERNAL,
    /** The request names something this endpoint does not have (a track it does not receive). */
    NOT_FOUND,
    /**
     * The SFU node the endpoint was on left the cluster (crashed, or cut off): the endpoint is gone with it. Only the
     * appservice side of a cluster reports it; a call again is placed on a node that is alive.
     */
    NODE_FAILED
}
