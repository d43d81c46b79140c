package org.conclave.sfu.sdp;

/** The SDP text is malformed (or exceeds a limit); says which line and why. */
public final class SdpParseException extends SdpException {
    private final int lineNumber;

    /** @param lineNumber 1-based line of the problem, 0 when it concerns the whole text */
    public SdpParseException(int lineNumber, String message) {
        this(lineNumber, message, null);
    }

    /** @param limit the limit the text exceeded, null when it is malformed */
    public SdpParseException(int lineNumber, String message, SdpLimit limit) {
        super(lineNumber > 0 ? "SDP line " + lineNumber + ": " + message : "SDP: " + message, limit);
        this.lineNumber = lineNumber;
    }

    public int lineNumber() {
        return lineNumber;
    }
}
