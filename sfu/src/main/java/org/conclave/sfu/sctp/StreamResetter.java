package org.conclave.sfu.sctp;

import java.util.Iterator;
import java.util.TreeSet;
import java.util.function.IntPredicate;
import org.conclave.sfu.sctp.chunk.ReConfigParameter.OutgoingResetRequest;
import org.conclave.sfu.sctp.chunk.ReConfigParameter.Response;

/**
 * Bookkeeping of RFC 6525 stream resets. Outgoing: streams wait in {@code pending} until their queued messages have
 * TSNs, then go out together in one Outgoing SSN Reset Request; one request at a time, retransmitted on its timer, and
 * re-sent under a new sequence number after "in progress". Incoming: the peer's request sequence numbers, so that a
 * retransmitted request gets the same answer.
 */
final class StreamResetter {
    static final int MAX_STREAMS_PER_REQUEST = 256;

    /** Streams whose outgoing reset finished, and whether the peer performed it. */
    record Completion(int[] streamIds, boolean performed) {
    }

    enum Sequence { NEW, RETRANSMISSION, BAD }

    final Timer timer = new Timer();
    private final TreeSet<Integer> pending = new TreeSet<>();
    private OutgoingResetRequest inFlight;
    private boolean renumber;
    private int nextRequestSequence;
    private int expectedPeerSequence;
    private int lastPeerResult = Response.SUCCESS_NOTHING_TO_DO;

    StreamResetter(int myInitialTsn, int peerInitialTsn) {
        nextRequestSequence = myInitialTsn; // RFC 6525 §4.1: starts at the initial TSN
        expectedPeerSequence = peerInitialTsn;
    }

    void request(int sid) {
        if (inFlight == null || !contains(inFlight.streamIds(), sid)) pending.add(sid);
    }

    boolean busy() {
        return inFlight != null || !pending.isEmpty();
    }

    int pendingCount() {
        return pending.size();
    }

    /** A new request for the pending streams that {@code drained} says have nothing queued, or null. */
    OutgoingResetRequest newRequest(IntPredicate drained, int lastAssignedTsn, long now, long rto) {
        if (inFlight != null || pending.isEmpty()) return null;
        int[] ready = new int[Math.min(pending.size(), MAX_STREAMS_PER_REQUEST)];
        int n = 0;
        for (Iterator<Integer> it = pending.iterator(); it.hasNext() && n < ready.length; ) {
            int sid = it.next();
            if (drained.test(sid)) {
                ready[n++] = sid;
                it.remove();
            }
        }
        if (n == 0) return null;
        inFlight = new OutgoingResetRequest(nextRequestSequence++, expectedPeerSequence - 1, lastAssignedTsn,
                java.util.Arrays.copyOf(ready, n));
        renumber = false;
        timer.start(now, rto);
        return inFlight;
    }

    /** The in-flight request to send again after {@link #timer} fired. */
    OutgoingResetRequest retransmission(long now, long rto) {
        if (inFlight == null) return null;
        if (renumber) {
            inFlight = new OutgoingResetRequest(nextRequestSequence++, expectedPeerSequence - 1,
                    inFlight.senderLastTsn(), inFlight.streamIds());
            renumber = false;
        }
        timer.start(now, rto);
        return inFlight;
    }

    /** A Re-configuration Response; the finished request's streams, or null if nothing finished. */
    Completion onResponse(Response r, long now, long rto) {
        if (inFlight == null || r.responseSequence() != inFlight.requestSequence()) return null;
        if (r.result() == Response.IN_PROGRESS) {
            renumber = true;
            timer.start(now, rto);
            return null;
        }
        Completion done = new Completion(inFlight.streamIds(), r.result() == Response.SUCCESS_PERFORMED
                || r.result() == Response.SUCCESS_NOTHING_TO_DO);
        inFlight = null;
        timer.reset();
        return done;
    }

    Sequence checkPeerSequence(int requestSequence) {
        if (requestSequence == expectedPeerSequence) return Sequence.NEW;
        if (requestSequence == expectedPeerSequence - 1) return Sequence.RETRANSMISSION;
        return Sequence.BAD;
    }

    int lastPeerResult() {
        return lastPeerResult;
    }

    void peerRequestAnswered(int requestSequence, int result) {
        expectedPeerSequence = requestSequence + 1;
        lastPeerResult = result;
    }

    private static boolean contains(int[] a, int v) {
        for (int x : a) if (x == v) return true;
        return false;
    }
}
