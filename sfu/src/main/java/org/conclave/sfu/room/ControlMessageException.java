package org.conclave.sfu.room;

/** A client message the parser refuses; the only exception {@link ControlMessages#parse} throws. */
public final class ControlMessageException extends Exception {
    private final ErrorCode errcode;
    private final String requestType;
    private final String requestId;

    public ControlMessageException(ErrorCode errcode, String message, String requestType, String requestId) {
        super(message, null, false, false);
        this.errcode = errcode;
        this.requestType = requestType;
        this.requestId = requestId;
    }

    public ErrorCode errcode() {
        return errcode;
    }

    /** The message's {@code type} when it could be read, else null. */
    public String requestType() {
        return requestType;
    }

    /** The message's {@code content.request_id} when it could be read, else null. */
    public String requestId() {
        return requestId;
    }
}
