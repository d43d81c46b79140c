package org.conclave.sfu.sdp;

/** Any SDP the SFU cannot use; the control layer maps it to a "bad SDP" failure with this message. */
public class SdpException extends RuntimeException {
    private final SdpLimit limit;

    public SdpException(String message) {
        this(message, null);
    }

    /** @param limit the limit the SDP exceeded, null when it is unusable for another reason */
    public SdpException(String message, SdpLimit limit) {
        super(message);
        this.limit = limit;
    }

    /** The limit the SDP exceeded; null when it is malformed or unusable for another reason. */
    public SdpLimit limit() {
        return limit;
    }
}
