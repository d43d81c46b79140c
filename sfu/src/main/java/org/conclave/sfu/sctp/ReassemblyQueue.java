package org.conclave.sfu.sctp;

import java.util.HashMap;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.conclave.sfu.sctp.chunk.DataChunk;

/**
 * Turns DATA fragments back into messages (RFC 9260 §6.5–6.9): a message is the run of consecutive TSNs from a B
 * fragment to an E fragment of one stream (and one SSN when ordered). Unordered messages are delivered when complete;
 * ordered ones in SSN order per stream, complete ones that arrive early waiting in {@code ready}. Everything held
 * counts against {@link #MAX_BUFFERED_BYTES} and {@link #MAX_BUFFERED_PIECES}.
 */
final class ReassemblyQueue {
    /** Bytes held (fragments and early messages); also the receive window we advertise. */
    static final int MAX_BUFFERED_BYTES = 1 << 20;
    /** Fragments plus early messages held, so that tiny chunks cannot cost more memory than their bytes suggest. */
    static final int MAX_BUFFERED_PIECES = 16384;
    /** Above this only the next in-order TSN is accepted: it can complete messages and drain the queue. */
    static final int WATERMARK_BYTES = MAX_BUFFERED_BYTES / 4 * 3;

    interface Sink {
        void deliver(int streamId, int ppid, byte[] data);
    }

    private record Message(int ppid, byte[] data) {
    }

    private final TreeMap<Long, DataChunk> fragments = new TreeMap<>();
    private final Map<Integer, Map<Integer, Message>> ready = new HashMap<>();
    private final int[] nextSsn;
    private final int maxMessageSize;
    private final Sink sink;
    private int bytes;
    private int pieces;

    ReassemblyQueue(int streams, int maxMessageSize, Sink sink) {
        this.nextSsn = new int[streams];
        this.maxMessageSize = maxMessageSize;
        this.sink = sink;
    }

    int bufferedBytes() {
        return bytes;
    }

    int bufferedPieces() {
        return pieces;
    }

    long receiveWindow() {
        return Math.max(0, MAX_BUFFERED_BYTES - bytes);
    }

    boolean hasRoom(int length, boolean nextInOrder) {
        if (pieces >= MAX_BUFFERED_PIECES || bytes + length > MAX_BUFFERED_BYTES) return false;
        return nextInOrder || bytes + length <= WATERMARK_BYTES;
    }

    /**
     * Adds a new fragment (the stream id is in range, {@link #hasRoom} said yes) and delivers what it completes.
     * False when it belongs to a message larger than the maximum message size: a protocol violation.
     */
    boolean add(long tsn, DataChunk chunk) {
        fragments.put(tsn, chunk);
        bytes += chunk.payload().length;
        pieces++;
        long size = chunk.payload().length;
        long first = tsn;
        DataChunk cur = chunk;
        boolean complete = true;
        while (!cur.beginning()) {
            DataChunk prev = fragments.get(first - 1);
            if (prev == null || prev.ending() || !sameMessage(prev, cur)) {
                complete = false;
                break;
            }
            first--;
            cur = prev;
            size += prev.payload().length;
        }
        long last = tsn;
        cur = chunk;
        while (!cur.ending()) {
            DataChunk next = fragments.get(last + 1);
            if (next == null || next.beginning() || !sameMessage(next, cur)) {
                complete = false;
                break;
            }
            last++;
            cur = next;
            size += next.payload().length;
        }
        if (size > maxMessageSize) return false;
        if (complete) assemble(first, last, (int) size);
        return true;
    }

    /** FORWARD-TSN: drop fragments up to {@code newCumulative}; ordered streams skip past the given SSNs. */
    void forward(long newCumulative, int[] streamIds, int[] ssns) {
        NavigableMap<Long, DataChunk> head = fragments.headMap(newCumulative, true);
        for (DataChunk c : head.values()) {
            bytes -= c.payload().length;
            pieces--;
        }
        head.clear();
        for (int i = 0; i < streamIds.length; i++) {
            int sid = streamIds[i];
            if (sid >= nextSsn.length) continue;
            int after = (ssns[i] + 1) & 0xFFFF;
            if ((short) (after - nextSsn[sid]) <= 0) continue;
            nextSsn[sid] = after;
            Map<Integer, Message> waiting = ready.get(sid);
            if (waiting != null) {
                waiting.entrySet().removeIf(e -> {
                    boolean stale = (short) (e.getKey() - nextSsn[sid]) < 0;
                    if (stale) release(e.getValue());
                    return stale;
                });
            }
            drain(sid);
        }
    }

    /** The peer reset its outgoing stream (RFC 6525): its next message has SSN 0. */
    void resetStream(int sid) {
        nextSsn[sid] = 0;
        Map<Integer, Message> waiting = ready.remove(sid);
        if (waiting != null) waiting.values().forEach(this::release);
    }

    private static boolean sameMessage(DataChunk a, DataChunk b) {
        return a.streamId() == b.streamId() && a.unordered() == b.unordered() && (a.unordered() || a.ssn() == b.ssn());
    }

    private void assemble(long first, long last, int size) {
        byte[] data = new byte[size];
        int off = 0;
        DataChunk head = fragments.get(first);
        for (long t = first; t <= last; t++) {
            byte[] p = fragments.remove(t).payload();
            System.arraycopy(p, 0, data, off, p.length);
            off += p.length;
        }
        bytes -= size;
        pieces -= (int) (last - first + 1);
        int sid = head.streamId();
        if (head.unordered()) {
            sink.deliver(sid, head.ppid(), data);
            return;
        }
        int ahead = (short) (head.ssn() - nextSsn[sid]);
        if (ahead == 0) {
            nextSsn[sid] = (nextSsn[sid] + 1) & 0xFFFF;
            sink.deliver(sid, head.ppid(), data);
            drain(sid);
        } else if (ahead > 0) {
            Map<Integer, Message> waiting = ready.computeIfAbsent(sid, k -> new HashMap<>());
            if (waiting.putIfAbsent(head.ssn(), new Message(head.ppid(), data)) == null) {
                bytes += size;
                pieces++;
            }
        } // behind: an SSN already delivered or skipped; drop it
    }

    private void drain(int sid) {
        Map<Integer, Message> waiting = ready.get(sid);
        Message m;
        while (waiting != null && (m = waiting.remove(nextSsn[sid])) != null) {
            release(m);
            nextSsn[sid] = (nextSsn[sid] + 1) & 0xFFFF;
            sink.deliver(sid, m.ppid(), m.data());
        }
        if (waiting != null && waiting.isEmpty()) ready.remove(sid);
    }

    private void release(Message m) {
        bytes -= m.data().length;
        pieces--;
    }
}
