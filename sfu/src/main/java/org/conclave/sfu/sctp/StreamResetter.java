package org.conclave.sfu.sctp;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.TreeSet;
import org.conclave.sfu.sctp.chunk.ReConfigChunk;
import org.conclave.sfu.sctp.chunk.ReConfigParameter;
import org.conclave.sfu.sctp.chunk.ReConfigParameter.OutgoingResetRequest;
import org.conclave.sfu.sctp.chunk.ReConfigParameter.Response;

/**
 * Stream resets (RFC 6525), which close data channels (RFC 8831 §6.7). Outgoing: streams wait in {@code pending}
 * until their queued messages have TSNs, then go out together in one Outgoing SSN Reset Request; one request at a
 * time, retransmitted on {@link #timer}, renumbered after "in progress". Incoming: the peer's Outgoing SSN Reset
 * Requests are performed once everything up to its last TSN has arrived ("in progress" until then, answered again
 * when retransmitted); the other request types are denied.
 */
final class StreamResetter {
    static final int MAX_STREAMS_PER_REQUEST = 256;

    enum Sequence { NEW, RETRANSMISSION, BAD }

    final Timer timer = new Timer();
    private final TreeSet<Integer> pending = new TreeSet<>();
    private final DataSender sender;
    private final DataReceiver receiver;
    private final Channels channels;
    private final int inboundStreams;
    private final int outboundStreams;
    private OutgoingResetRequest inFlight;
    private boolean renumber;
    private int nextRequestSequence;
    private int expectedPeerSequence;
    private int lastPeerResult = Response.SUCCESS_NOTHING_TO_DO;
    private boolean progressed;

    StreamResetter(int myInitialTsn, int peerInitialTsn, DataSender sender, DataReceiver receiver, Channels channels,
                   int inboundStreams, int outboundStreams) {
        this.nextRequestSequence = myInitialTsn; // RFC 6525 §4.1: sequence numbers start at the initial TSN
        this.expectedPeerSequence = peerInitialTsn;
        this.sender = sender;
        this.receiver = receiver;
        this.channels = channels;
        this.inboundStreams = inboundStreams;
        this.outboundStreams = outboundStreams;
    }

    void request(int sid) {
        if (inFlight == null || Arrays.stream(inFlight.streamIds()).noneMatch(s -> s == sid)) pending.add(sid);
    }

    int pendingCount() {
        return pending.size();
    }

    /** Whether the peer answered one of our requests since the last call (the association counts it as liveness). */
    boolean takeProgress() {
        boolean p = progressed;
        progressed = false;
        return p;
    }

    /** A request for the pending streams that have nothing left to send, or null. */
    ReConfigChunk newRequest(long now, long rto) {
        if (inFlight != null || pending.isEmpty()) return null;
        int[] ready = new int[Math.min(pending.size(), MAX_STREAMS_PER_REQUEST)];
        int n = 0;
        for (Iterator<Integer> it = pending.iterator(); it.hasNext() && n < ready.length; ) {
            int sid = it.next();
            if (!sender.hasPending(sid)) {
                ready[n++] = sid;
                it.remove();
            }
        }
        if (n == 0) return null;
        inFlight = new OutgoingResetRequest(nextRequestSequence++, expectedPeerSequence - 1, sender.lastAssignedTsn(),
                Arrays.copyOf(ready, n));
        renumber = false;
        timer.start(now, rto);
        return new ReConfigChunk(List.of(inFlight));
    }

    /** The in-flight request to send again after {@link #timer} fired, or null. */
    ReConfigChunk retransmission(long now, long rto) {
        if (inFlight == null) return null;
        if (renumber) {
            inFlight = new OutgoingResetRequest(nextRequestSequence++, expectedPeerSequence - 1,
                    inFlight.senderLastTsn(), inFlight.streamIds());
            renumber = false;
        }
        timer.start(now, rto);
        return new ReConfigChunk(List.of(inFlight));
    }

    /** Handles a received RE-CONFIG chunk; returns the responses to send. */
    List<ReConfigChunk> onReConfig(ReConfigChunk chunk, long now, long rto) {
        List<ReConfigChunk> answers = new ArrayList<>(2);
        for (ReConfigParameter param : chunk.parameters()) {
            if (param instanceof OutgoingResetRequest req) {
                answers.add(answer(req.requestSequence(), incoming(req)));
            } else if (param instanceof ReConfigParameter.Request req) {
                answers.add(answer(req.requestSequence(), other(req.requestSequence())));
            } else if (param instanceof Response resp) {
                onResponse(resp, now, rto);
            }
        }
        return answers;
    }

    private void onResponse(Response r, long now, long rto) {
        if (inFlight == null || r.responseSequence() != inFlight.requestSequence()) return;
        progressed = true;
        if (r.result() == Response.IN_PROGRESS) {
            renumber = true;
            timer.start(now, rto);
            return;
        }
        boolean performed = r.result() == Response.SUCCESS_PERFORMED || r.result() == Response.SUCCESS_NOTHING_TO_DO;
        int[] streams = inFlight.streamIds();
        inFlight = null;
        timer.reset();
        for (int sid : streams) {
            if (sid >= outboundStreams) continue;
            if (performed) sender.resetSsn(sid);
            channels.onOutgoingReset(sid); // refused or not, we stop using the stream
        }
    }

    /** RFC 6525 §5.2.2 for the peer's Outgoing SSN Reset Request: the result to answer with. */
    private int incoming(OutgoingResetRequest req) {
        Sequence seq = check(req.requestSequence());
        if (seq == Sequence.BAD) return Response.ERROR_BAD_SEQUENCE_NUMBER;
        if (seq == Sequence.RETRANSMISSION && lastPeerResult != Response.IN_PROGRESS) return lastPeerResult;
        int result;
        if (receiver.tracker.unwrap(req.senderLastTsn()) > receiver.tracker.cumulative()) {
            result = Response.IN_PROGRESS; // data sent before the reset is still missing
        } else {
            int[] sids = req.streamIds();
            if (sids.length == 0) { // all streams
                sids = new int[inboundStreams];
                for (int i = 0; i < sids.length; i++) sids[i] = i;
            }
            for (int sid : sids) {
                if (sid >= inboundStreams) continue;
                receiver.reassembly.resetStream(sid);
                channels.onIncomingReset(sid);
            }
            result = Response.SUCCESS_PERFORMED;
        }
        answered(req.requestSequence(), result);
        return result;
    }

    /** Incoming SSN, SSN/TSN and add-streams requests: WebRTC does not use them. */
    private int other(int requestSequence) {
        Sequence seq = check(requestSequence);
        if (seq == Sequence.BAD) return Response.ERROR_BAD_SEQUENCE_NUMBER;
        if (seq == Sequence.RETRANSMISSION) return lastPeerResult;
        answered(requestSequence, Response.DENIED);
        return Response.DENIED;
    }

    private Sequence check(int requestSequence) {
        if (requestSequence == expectedPeerSequence) return Sequence.NEW;
        if (requestSequence == expectedPeerSequence - 1) return Sequence.RETRANSMISSION;
        return Sequence.BAD;
    }

    private void answered(int requestSequence, int result) {
        expectedPeerSequence = requestSequence + 1;
        lastPeerResult = result;
    }

    private static ReConfigChunk answer(int requestSequence, int result) {
        return new ReConfigChunk(List.of(Response.of(requestSequence, result)));
    }
}
