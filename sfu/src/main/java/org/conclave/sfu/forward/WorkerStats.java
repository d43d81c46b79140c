package org.conclave.sfu.forward;

import java.util.List;
import java.util.function.ToLongFunction;

/**
 * Counters of a packet thread; written by it only, read by anyone (slightly stale values are fine). The four that
 * move with every datagram are plain fields (a volatile store per packet costs a full fence); their getters read a
 * volatile first so a reader polling in a loop still sees them move.
 */
public final class WorkerStats {
    /** Set on the sum over every packet thread ({@link #total}): its getters add the threads' values. */
    private final List<WorkerStats> parts;

    long datagramsReceived;
    long datagramsSent;
    volatile long unauthenticatedDrops;
    volatile long notReadyDrops;
    volatile long malformedDrops;
    volatile long stunUnknownUfrag;
    volatile long stunRejected;
    /** Over an endpoint's handshake_packets_per_second: STUN checks from new addresses, DTLS before its keys. */
    volatile long stunFloodDrops;
    volatile long dtlsFloodDrops;
    volatile long iceRestarts;
    volatile long addressChanges;
    volatile long codecDrops;
    volatile long rewriterDrops;
    volatile long inactiveStreamDrops;
    volatile long e2eeDrops;
    volatile long e2eeHolds;
    volatile long sendDrops;
    /** Packets for an ICE-TCP client whose connection's write buffer was full (it reads slower than its media comes). */
    volatile long tcpWriteBufferDrops;
    volatile long sendErrors;
    /** Packets the SFU could not encrypt for their receiver (its SRTP stream cap reached, ...). */
    volatile long srtpProtectDrops;
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
    /** Pipes between packet threads: packets handed to and taken from other threads, drops on a full pipe. */
    long pipedOut;
    /** RTP packets decrypted (SRTP) on this thread: once per packet a sender sent, whoever receives it. */
    long rtpDecrypted;
    long pipedIn;
    volatile long pipeDrops;
    volatile long keyFrameRequestsPiped;
    /** UDP GSO probe ({@link SendRuns}): loop turns that sent, per-receiver runs, runs of 2+ and their datagrams. */
    long sendTurns;
    long sendRuns;
    long joinedRuns;
    long joinedDatagrams;
    /** {@link #joinedDatagrams} by the length of their run: 2, 3-4, 5-8, 9 or more (GSO pays from ~4). */
    long joinedIn2;
    long joinedIn3To4;
    long joinedIn5To8;
    long joinedIn9Up;
    /** GSO sends the kernel refused, then sent datagram by datagram (sfu.udp_send: gso). */
    volatile long gsoFallbacks;
    /** setsockopt(UDP_SEGMENT) calls: a run of another length than the socket's, or a lone datagram longer than it. */
    long gsoSegmentSets;
    /** Time the packet thread spent waiting in select(), for its busy ratio (wall clock, not the injected one). */
    volatile long idleNanos;
    public WorkerStats() {
        this.parts = null;
    }

    private WorkerStats(List<WorkerStats> parts) {
        this.parts = List.copyOf(parts);
    }

    /** The sum of several threads' counters, read live. */
    public static WorkerStats total(List<WorkerStats> parts) {
        return new WorkerStats(parts);
    }

    /** The threads a total adds up (empty for one thread's own counters). */
    public List<WorkerStats> parts() {
        return parts == null ? List.of() : parts;
    }

    private long sum(ToLongFunction<WorkerStats> counter) {
        long n = 0;
        for (WorkerStats p : parts) n += counter.applyAsLong(p);
        return n;
    }

    /** Written by DTLS threads, so not a single-writer counter like the others. */
    final java.util.concurrent.atomic.AtomicLong offThreadSendErrors = new java.util.concurrent.atomic.AtomicLong();

    public long datagramsReceived() { return parts == null ? unauthenticatedDrops < 0 ? 0 : datagramsReceived : sum(WorkerStats::datagramsReceived); }
    public long datagramsSent() { return parts == null ? unauthenticatedDrops < 0 ? 0 : datagramsSent : sum(WorkerStats::datagramsSent); }
    /** Datagrams from addresses that never passed an authenticated ICE check for any endpoint. */
    public long unauthenticatedDrops() { return parts == null ? unauthenticatedDrops : sum(WorkerStats::unauthenticatedDrops); }
    public long notReadyDrops() { return parts == null ? notReadyDrops : sum(WorkerStats::notReadyDrops); }
    public long malformedDrops() { return parts == null ? malformedDrops : sum(WorkerStats::malformedDrops); }
    public long stunUnknownUfrag() { return parts == null ? stunUnknownUfrag : sum(WorkerStats::stunUnknownUfrag); }
    public long stunRejected() { return parts == null ? stunRejected : sum(WorkerStats::stunRejected); }
    /** STUN binding requests from not yet validated addresses over the endpoint's handshake budget. */
    public long stunFloodDrops() { return parts == null ? stunFloodDrops : sum(WorkerStats::stunFloodDrops); }
    /** DTLS datagrams before the endpoint's SRTP keys over its handshake budget. */
    public long dtlsFloodDrops() { return parts == null ? dtlsFloodDrops : sum(WorkerStats::dtlsFloodDrops); }
    /** ICE restarts completed: a client's first valid check with the SFU's new credentials arrived. */
    public long iceRestarts() { return parts == null ? iceRestarts : sum(WorkerStats::iceRestarts); }
    /** Clients whose media moved to another address they had validated (NAT rebinding, network change). */
    public long addressChanges() { return parts == null ? addressChanges : sum(WorkerStats::addressChanges); }
    public long codecDrops() { return parts == null ? codecDrops : sum(WorkerStats::codecDrops); }
    public long rewriterDrops() { return parts == null ? rewriterDrops : sum(WorkerStats::rewriterDrops); }
    /** Packets of a second live SSRC of one source (a simulcast layer) while the first is forwarded. */
    public long inactiveStreamDrops() { return parts == null ? inactiveStreamDrops : sum(WorkerStats::inactiveStreamDrops); }
    /**
     * Packets refused in conferences that require end-to-end encryption (per endpoint, and in frames:
     * {@link org.conclave.sfu.e2ee.E2eeEndpointStats}).
     */
    public long e2eeDrops() { return parts == null ? e2eeDrops : sum(WorkerStats::e2eeDrops); }
    /** Endpoints held as not encrypting (each hold counted). */
    public long e2eeHolds() { return parts == null ? e2eeHolds : sum(WorkerStats::e2eeHolds); }
    public long sendDrops() { return parts == null ? sendDrops : sum(WorkerStats::sendDrops); }
    public long tcpWriteBufferDrops() { return parts == null ? tcpWriteBufferDrops : sum(WorkerStats::tcpWriteBufferDrops); }
    public long sendErrors() { return parts == null ? sendErrors + offThreadSendErrors.get() : sum(WorkerStats::sendErrors); }
    /**
     * RTP/RTCP the SFU could not encrypt for its receiver (e.g. the receiver's {@code MAX_OUTBOUND_STREAMS} reached);
     * packets from clients that did not decrypt are counted per endpoint (MediaSample's {@code srtpErrors}).
     */
    public long srtpProtectDrops() { return parts == null ? srtpProtectDrops : sum(WorkerStats::srtpProtectDrops); }
    public long internalErrors() { return parts == null ? internalErrors : sum(WorkerStats::internalErrors); }
    /** RTX packets from senders restored into the packets they repair. */
    public long rtxReceived() { return parts == null ? rtxReceived : sum(WorkerStats::rtxReceived); }
    /** Packets not forwarded because their sender is muted by a host or held in the waiting room. */
    public long heldOrMutedDrops() { return parts == null ? heldOrMutedDrops : sum(WorkerStats::heldOrMutedDrops); }
    /** REMB and transport-cc feedback packets that fed a receiver's downlink estimate. */
    public long feedbackUsed() { return parts == null ? feedbackUsed : sum(WorkerStats::feedbackUsed); }
    /** Packets resent to receivers from the NACK caches. */
    public long retransmissions() { return parts == null ? retransmissions : sum(WorkerStats::retransmissions); }
    /** REMB/TMMBR compounds sent to senders. */
    public long rateRequests() { return parts == null ? rateRequests : sum(WorkerStats::rateRequests); }
    /** NACKs sent to senders for upstream loss. */
    public long upstreamNacks() { return parts == null ? upstreamNacks : sum(WorkerStats::upstreamNacks); }
    /** RTX copies sent to probe the downlink of receivers held on thumbnails. */
    public long probePackets() { return parts == null ? probePackets : sum(WorkerStats::probePackets); }
    /** NACKed packets no longer (or never) cached: too old, or lost on the way to the SFU (NACKed upstream). */
    public long nackMisses() { return parts == null ? nackMisses : sum(WorkerStats::nackMisses); }
    /** NACKed packets not resent because they were resent within the resend interval. */
    public long nackSuppressed() { return parts == null ? nackSuppressed : sum(WorkerStats::nackSuppressed); }
    /** Transport-cc feedback packets sent to senders (their own estimators run on it). */
    public long transportFeedbackSent() { return parts == null ? transportFeedbackSent : sum(WorkerStats::transportFeedbackSent); }
    /** Bytes of every datagram received on the media socket (UDP payload). */
    public long bytesReceived() { return parts == null ? unauthenticatedDrops < 0 ? 0 : bytesReceived : sum(WorkerStats::bytesReceived); }
    /** Bytes of every datagram the packet thread sent (UDP payload). */
    public long bytesSent() { return parts == null ? unauthenticatedDrops < 0 ? 0 : bytesSent : sum(WorkerStats::bytesSent); }
    /** Key-frame requests (PLI) sent to senders: relayed from receivers or the SFU's own. */
    public long keyFrameRequestsSent() { return parts == null ? keyFrameRequestsSent : sum(WorkerStats::keyFrameRequestsSent); }
    /** RTP packets decrypted on this thread (each sender's packet once, however many threads and viewers get it). */
    public long rtpDecrypted() { return parts == null ? (unauthenticatedDrops < 0 ? 0 : rtpDecrypted) : sum(WorkerStats::rtpDecrypted); }
    /** Packets this thread handed to other packet threads (once per packet and thread, whatever their viewers). */
    public long pipedOut() { return parts == null ? unauthenticatedDrops < 0 ? 0 : pipedOut : sum(WorkerStats::pipedOut); }
    /** Packets of sources on other threads this thread received through a pipe. */
    public long pipedIn() { return parts == null ? unauthenticatedDrops < 0 ? 0 : pipedIn : sum(WorkerStats::pipedIn); }
    /** Packets dropped because a pipe to another thread was full. */
    public long pipeDrops() { return parts == null ? pipeDrops : sum(WorkerStats::pipeDrops); }
    /** Key-frame requests handed to the thread of a source's sender. */
    public long keyFrameRequestsPiped() { return parts == null ? keyFrameRequestsPiped : sum(WorkerStats::keyFrameRequestsPiped); }
    /** Loop turns that sent UDP datagrams (direct); batches flushed (gso: a full batch also flushes mid-turn). */
    public long sendTurns() { return parts == null ? unauthenticatedDrops < 0 ? 0 : sendTurns : sum(WorkerStats::sendTurns); }
    /** UDP sends a GSO batch would make: per turn and receiver, runs of equal-length datagrams (and lone ones). */
    public long sendRuns() { return parts == null ? unauthenticatedDrops < 0 ? 0 : sendRuns : sum(WorkerStats::sendRuns); }
    /** Of {@link #sendRuns()}, those of two datagrams or more (one GSO send each). */
    public long joinedRuns() { return parts == null ? unauthenticatedDrops < 0 ? 0 : joinedRuns : sum(WorkerStats::joinedRuns); }
    /** Datagrams in {@link #joinedRuns()}: joinedDatagrams / joinedRuns = datagrams per GSO send. */
    public long joinedDatagrams() { return parts == null ? unauthenticatedDrops < 0 ? 0 : joinedDatagrams : sum(WorkerStats::joinedDatagrams); }
    /** Datagrams in runs of 2, of 3-4, of 5-8, of 9 or more ({@link #joinedDatagrams()} by run length). */
    public long joinedIn2() { return parts == null ? unauthenticatedDrops < 0 ? 0 : joinedIn2 : sum(WorkerStats::joinedIn2); }
    public long joinedIn3To4() { return parts == null ? unauthenticatedDrops < 0 ? 0 : joinedIn3To4 : sum(WorkerStats::joinedIn3To4); }
    public long joinedIn5To8() { return parts == null ? unauthenticatedDrops < 0 ? 0 : joinedIn5To8 : sum(WorkerStats::joinedIn5To8); }
    public long joinedIn9Up() { return parts == null ? unauthenticatedDrops < 0 ? 0 : joinedIn9Up : sum(WorkerStats::joinedIn9Up); }
    /** GSO sends the kernel refused (e.g. a path MTU below the segment), then sent one datagram at a time. */
    public long gsoFallbacks() { return parts == null ? gsoFallbacks : sum(WorkerStats::gsoFallbacks); }
    /** System calls that changed the socket's GSO segment size (one per run whose length differs from the last). */
    public long gsoSegmentSets() { return parts == null ? unauthenticatedDrops < 0 ? 0 : gsoSegmentSets : sum(WorkerStats::gsoSegmentSets); }
    /** Nanoseconds the packet thread spent idle (waiting for datagrams); busy ratio = 1 - d(idle)/d(wall time). */
    public long idleNanos() { return parts == null ? idleNanos : sum(WorkerStats::idleNanos); }
}
