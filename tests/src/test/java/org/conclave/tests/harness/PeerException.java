package org.conclave.tests.harness;

/** A peer process failed: timed out, exited without a report, or reported an error. The message has its stderr tail. */
public final class PeerException extends RuntimeException {
    public PeerException(String message) {
        super(message);
    }
}
