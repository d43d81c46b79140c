package org.conclave.sfu.sctp;

import java.util.ArrayDeque;
import org.conclave.sfu.sctp.chunk.DataChunk;

/**
 * Messages not yet fully handed to the network, one FIFO per stream, served round-robin a whole message at a time
 * (without I-DATA, fragments of different messages must not interleave). Cuts fragments to the room a packet has and
 * assigns each stream's SSNs.
 */
final class SendQueue {
    /** Fragments smaller than this are not cut just to fill the end of a packet; the next packet gets them whole. */
    static final int MIN_FRAGMENT = 256;

    private final ArrayDeque<OutgoingMessage>[] streams;
    private final int[] nextSsn;
    private final ArrayDeque<Integer> roundRobin = new ArrayDeque<>();
    private OutgoingMessage current;
    private int queuedBytes;
    private int queuedMessages;

    @SuppressWarnings("unchecked")
    SendQueue(int streamCount) {
        streams = new ArrayDeque[streamCount];
        nextSsn = new int[streamCount];
    }

    int queuedBytes() {
        return queuedBytes;
    }

    int queuedMessages() {
        return queuedMessages;
    }

    boolean isEmpty() {
        return queuedMessages == 0;
    }

    void add(OutgoingMessage m) {
        ArrayDeque<OutgoingMessage> q = streams[m.streamId];
        if (q == null) q = streams[m.streamId] = new ArrayDeque<>();
        if (q.isEmpty()) roundRobin.add(m.streamId); // a stream is in the rotation while its FIFO is not empty
        q.add(m);
        queuedBytes += m.data.length;
        queuedMessages++;
    }

    /** Whether {@code sid} has messages not yet fully sent (a stream may only be reset once this is false). */
    boolean hasPending(int sid) {
        return current != null && current.streamId == sid || streams[sid] != null && !streams[sid].isEmpty();
    }

    /** The next stream's next message has SSN 0 (after an outgoing stream reset). */
    void resetSsn(int sid) {
        nextSsn[sid] = 0;
    }

    /**
     * The next fragment, at most {@code room} bytes of payload, or null when nothing is queued or only a fragment
     * smaller than {@link #MIN_FRAGMENT} would fit. Messages that expired before their first byte was sent are dropped
     * here. The returned chunk's TSN is 0; the caller assigns it.
     */
    Fragment next(int room, long now) {
        while (true) {
            if (current == null && !pickNext(now)) return null;
            OutgoingMessage m = current;
            int left = m.data.length - m.sentBytes;
            int size = Math.min(left, room);
            if (size <= 0 || size < left && size < MIN_FRAGMENT) return null;
            if (!m.started() && !m.unordered) {
                m.ssn = nextSsn[m.streamId];
                nextSsn[m.streamId] = (m.ssn + 1) & 0xFFFF;
            }
            byte[] payload = java.util.Arrays.copyOfRange(m.data, m.sentBytes, m.sentBytes + size);
            boolean begin = m.sentBytes == 0;
            m.sentBytes += size;
            queuedBytes -= size;
            boolean end = m.fullySent();
            if (end) finish();
            DataChunk chunk = new DataChunk(0, m.streamId, m.unordered ? 0 : m.ssn, m.ppid, m.unordered, begin, end,
                    payload);
            return new Fragment(m, chunk);
        }
    }

    /** Drops what is left of an abandoned message (RFC 3758: the whole message is abandoned). */
    void discardRest(OutgoingMessage m) {
        if (current == m) {
            queuedBytes -= m.data.length - m.sentBytes;
            m.sentBytes = m.data.length;
            finish();
        }
    }

    record Fragment(OutgoingMessage message, DataChunk chunk) {
    }

    private void finish() {
        current = null;
        queuedMessages--;
    }

    private boolean pickNext(long now) {
        while (!roundRobin.isEmpty()) {
            int sid = roundRobin.poll();
            ArrayDeque<OutgoingMessage> q = streams[sid];
            OutgoingMessage m = q.poll();
            if (!q.isEmpty()) roundRobin.add(sid);
            if (m.expired(now)) {
                m.abandoned = true;
                queuedBytes -= m.data.length;
                queuedMessages--;
                continue;
            }
            current = m;
            return true;
        }
        return false;
    }
}
