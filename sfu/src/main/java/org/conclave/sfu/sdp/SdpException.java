package org.conclave.sfu.sdp;

/** Any SDP the SFU cannot use; the control layer maps it to a "bad SDP" failure with this message. */
public class SdpException extends RuntimeException {
    public SdpException(String message) {
        super(message);
    }
}
