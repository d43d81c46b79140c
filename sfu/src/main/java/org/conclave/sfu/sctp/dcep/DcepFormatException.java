package org.conclave.sfu.sctp.dcep;

/** A DCEP message (RFC 8832) that cannot be accepted: the only exception {@link DcepMessage#parse} throws. */
public final class DcepFormatException extends Exception {
    private static final long serialVersionUID = 1L;

    public DcepFormatException(String message) {
        super(message, null, false, false);
    }
}
