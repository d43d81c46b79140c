package org.conclave.cluster.wire;

/** A control message that cannot be read: truncated, oversized, of an unknown kind, or with a field out of its rules. */
public final class WireException extends RuntimeException {
    public WireException(String message) {
        super(message);
    }
}
