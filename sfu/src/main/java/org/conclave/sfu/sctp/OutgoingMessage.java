package org.conclave.sfu.sctp;

/**
 * One user message on its way out: queued whole, cut into fragments as packets have room, and under partial
 * reliability abandoned as a whole (RFC 3758). {@code ssn} is assigned when its first fragment is sent.
 */
final class OutgoingMessage {
    /** {@link #maxRetransmits} for a fully reliable message. */
    static final int UNLIMITED = -1;

    final int streamId;
    final int ppid;
    final byte[] data;
    final boolean unordered;
    final int maxRetransmits;
    final long expiresAt;
    int ssn;
    int sentBytes;
    boolean abandoned;

    OutgoingMessage(int streamId, int ppid, byte[] data, boolean unordered, int maxRetransmits, long expiresAt) {
        this.streamId = streamId;
        this.ppid = ppid;
        this.data = data;
        this.unordered = unordered;
        this.maxRetransmits = maxRetransmits;
        this.expiresAt = expiresAt;
    }

    boolean started() {
        return sentBytes > 0;
    }

    boolean fullySent() {
        return sentBytes == data.length;
    }

    boolean expired(long now) {
        return now - expiresAt >= 0 && expiresAt != Long.MAX_VALUE;
    }

    /** Whether a chunk of this message that has been sent {@code transmissions} times may not be sent again. */
    boolean exhausted(int transmissions, long now) {
        return (maxRetransmits != UNLIMITED && transmissions > maxRetransmits) || expired(now);
    }
}
