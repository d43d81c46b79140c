package org.conclave.sfu.sctp.chunk;

/** Bytes that are not a well-formed SCTP packet, chunk or parameter: the only exception the codecs throw. */
public final class SctpFormatException extends Exception {
    private static final long serialVersionUID = 1L;

    public SctpFormatException(String message) {
        super(message, null, false, false);
    }
}
