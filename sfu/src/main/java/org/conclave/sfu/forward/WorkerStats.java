package org.conclave.sfu.forward;

/**
 * Counters of a packet thread; written by it only, read by anyone (slightly stale values are fine). The four that
 * move with every datagram are plain fields (a volatile store per packet costs a full fence); their getters read a
 * volatile first so a reader polling in a loop still sees them move.
 */
public final class WorkerStats {
    long datagramsReceived;
    long datagramsSent;
    volatile long unauthenticatedDrops;
    volatile long notReadyDrops;
    volatile long malformedDrops;
    volatile long stunUnknownUfrag;
    volatile long stunRejected;
    volatile long iceRestarts;
    volatile long codecDrops;
    volatile long rewriterDrops;
    volatile long inactiveStreamDrops;
    volatile long e2eeDrops;
    volatile long e2eeHolds;
    volatile long sendDrops;
    volatile long sendErrors;
    volatile long internalErrors;
    volatile long rtxReceived;
    volatile long heldOrMutedDrops;
    volatile long feedbackUsed;
    volatile long retransmissions;
    volatile long rateRequests;
    volatile long upstreamNacks;
    volatile long probePackets;
    volatile long nackMisses;
    volatile long nackSuppressed;
    volatile long transportFeedbackSent;
    long bytesReceived;
    long bytesSent;
    volatile long keyFrameRequestsSent;
    /** Time the packet thread spent waiting in select(), for its busy ratio (wall clock, not the injected one). */
    volatile long idleNanos;
    /** Written by DTLS threads, so not a single-writer counter like the others. */
    final java.util.concurrent.atomic.AtomicLong offThreadSendErrors = new java.util.concurrent.atomic.AtomicLong();

    public long datagramsReceived() { return unauthenticatedDrops < 0 ? 0 : datagramsReceived; }
    public long datagramsSent() { return unauthenticatedDrops < 0 ? 0 : datagramsSent; }
    /** Datagrams from addresses that never passed an authenticated ICE check for any endpoint. */
    public long unauthenticatedDrops() { return unauthenticatedDrops; }
    public long notReadyDrops() { return notReadyDrops; }
    public long malformedDrops() { return malformedDrops; }
    public long stunUnknownUfrag() { return stunUnknownUfrag; }
    public long stunRejected() { return stunRejected; }
    /** ICE restarts completed: a client's first valid check with the SFU's new credentials arrived. */
    public long iceRestarts() { return iceRestarts; }
    public long codecDrops() { return codecDrops; }
    public long rewriterDrops() { return rewriterDrops; }
    /** Packets of a second live SSRC of one source (a simulcast layer) while the first is forwarded. */
    public long inactiveStreamDrops() { return inactiveStreamDrops; }
    /**
     * Packets refused in conferences that require end-to-end encryption (per endpoint, and in frames:
     * {@link org.conclave.sfu.e2ee.E2eeEndpointStats}).
     */
    public long e2eeDrops() { return e2eeDrops; }
    /** Endpoints held as not encrypting (each hold counted). */
    public long e2eeHolds() { return e2eeHolds; }
    public long sendDrops() { return sendDrops; }
    public long sendErrors() { return sendErrors + offThreadSendErrors.get(); }
    public long internalErrors() { return internalErrors; }
    /** RTX packets from senders restored into the packets they repair. */
    public long rtxReceived() { return rtxReceived; }
    /** Packets not forwarded because their sender is muted by a host or held in the waiting room. */
    public long heldOrMutedDrops() { return heldOrMutedDrops; }
    /** REMB and transport-cc feedback packets that fed a receiver's downlink estimate. */
    public long feedbackUsed() { return feedbackUsed; }
    /** Packets resent to receivers from the NACK caches. */
    public long retransmissions() { return retransmissions; }
    /** REMB/TMMBR compounds sent to senders. */
    public long rateRequests() { return rateRequests; }
    /** NACKs sent to senders for upstream loss. */
    public long upstreamNacks() { return upstreamNacks; }
    /** RTX copies sent to probe the downlink of receivers held on thumbnails. */
    public long probePackets() { return probePackets; }
    /** NACKed packets no longer (or never) cached: too old, or lost on the way to the SFU (NACKed upstream). */
    public long nackMisses() { return nackMisses; }
    /** NACKed packets not resent because they were resent within the resend interval. */
    public long nackSuppressed() { return nackSuppressed; }
    /** Transport-cc feedback packets sent to senders (their own estimators run on it). */
    public long transportFeedbackSent() { return transportFeedbackSent; }
    /** Bytes of every datagram received on the media socket (UDP payload). */
    public long bytesReceived() { return unauthenticatedDrops < 0 ? 0 : bytesReceived; }
    /** Bytes of every datagram the packet thread sent (UDP payload). */
    public long bytesSent() { return unauthenticatedDrops < 0 ? 0 : bytesSent; }
    /** Key-frame requests (PLI) sent to senders: relayed from receivers or the SFU's own. */
    public long keyFrameRequestsSent() { return keyFrameRequestsSent; }
    /** Nanoseconds the packet thread spent idle (waiting for datagrams); busy ratio = 1 - d(idle)/d(wall time). */
    public long idleNanos() { return idleNanos; }
}
