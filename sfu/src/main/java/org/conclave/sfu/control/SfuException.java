package org.conclave.sfu.control;

/** A control call refused with a reason a caller can show (unknown endpoint, bad SDP, capacity). */
public final class SfuException extends RuntimeException {
    private final FailureReason reason;

    public SfuException(FailureReason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public FailureReason reason() {
        return reason;
    }
}
