package org.conclave.sfu.control;

import org.conclave.sfu.sdp.SdpLimit;

/** A control call refused with a reason a caller can show (unknown endpoint, bad SDP, capacity). */
public final class SfuException extends RuntimeException {
    private final FailureReason reason;
    private final SdpLimit sdpLimit;

    public SfuException(FailureReason reason, String message) {
        this(reason, message, null);
    }

    /** @param sdpLimit the configured SDP limit a client's SDP exceeded (a {@code BAD_SDP} refusal), else null */
    public SfuException(FailureReason reason, String message, SdpLimit sdpLimit) {
        super(message);
        this.reason = reason;
        this.sdpLimit = sdpLimit;
    }

    public FailureReason reason() {
        return reason;
    }

    /** The SDP limit exceeded, counted by it; null when the refusal is about something else. */
    public SdpLimit sdpLimit() {
        return sdpLimit;
    }
}
