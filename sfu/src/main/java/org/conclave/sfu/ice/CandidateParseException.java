package org.conclave.sfu.ice;

/** A remote candidate line that does not follow RFC 8839 §5.1; the only exception {@link IceCandidates#parse} throws. */
public final class CandidateParseException extends Exception {
    public CandidateParseException(String message) {
        super(message, null, false, false); // expected on untrusted input: no stack trace
    }
}
