package org.conclave.sfu.sctp;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import org.conclave.sfu.sctp.chunk.DataChunk;
import org.conclave.sfu.sctp.chunk.ForwardTsnChunk;

/**
 * DATA chunks sent and not yet cumulatively acknowledged, in TSN order (the first is the peer's cumulative ack + 1).
 * Tracks what is in flight, gap-acked, marked for retransmission or abandoned (RFC 3758), counts miss indications for
 * fast retransmit (RFC 9260 §7.2.4, HTNA) and finds the Advanced.Peer.Ack.Point for FORWARD-TSN. Gap-acked chunks are
 * never reneged (our peers do not renege either).
 */
final class OutstandingData {
    static final int FAST_RETRANSMIT_MISSES = 3;

    static final class Sent {
        final long tsn;
        final DataChunk chunk;
        final OutgoingMessage message;
        int transmissions;
        long lastSentAt;
        boolean acked;
        boolean abandoned;
        boolean retransmit;
        boolean fastRetransmitted;
        int misses;

        Sent(long tsn, DataChunk chunk, OutgoingMessage message) {
            this.tsn = tsn;
            this.chunk = chunk;
            this.message = message;
        }

        int size() {
            return chunk.length();
        }

        boolean inFlight() {
            return !acked && !abandoned && !retransmit;
        }
    }

    /** What one SACK changed. */
    static final class AckResult {
        long bytesAcked;
        boolean cumulativeAdvanced;
        long rttNanos = -1;
        int newFastRetransmits;
    }

    private final ArrayList<Sent> items = new ArrayList<>();
    private long cumulativeAck;
    private long nextTsn;
    private long bytesInFlight;
    private long unackedPayload;

    OutstandingData(int initialTsn) {
        nextTsn = (1L << 32) + (initialTsn & 0xFFFFFFFFL);
        cumulativeAck = nextTsn - 1;
    }

    long unwrap(int tsn) {
        return cumulativeAck + (int) (tsn - (int) cumulativeAck);
    }

    long cumulativeAck() {
        return cumulativeAck;
    }

    long nextTsn() {
        return nextTsn;
    }

    long bytesInFlight() {
        return bytesInFlight;
    }

    /** User bytes sent but not cumulatively acknowledged (counted in the send buffer). */
    long unackedPayload() {
        return unackedPayload;
    }

    int size() {
        return items.size();
    }

    boolean isEmpty() {
        return items.isEmpty();
    }

    boolean anyInFlight() {
        return bytesInFlight > 0;
    }

    /** Records a new chunk about to be sent for the first time; returns the chunk with its TSN. */
    Sent add(DataChunk unnumbered, OutgoingMessage message, long now) {
        long tsn = nextTsn++;
        DataChunk c = new DataChunk((int) tsn, unnumbered.streamId(), unnumbered.ssn(), unnumbered.ppid(),
                unnumbered.unordered(), unnumbered.beginning(), unnumbered.ending(), unnumbered.payload());
        Sent s = new Sent(tsn, c, message);
        s.transmissions = 1;
        s.lastSentAt = now;
        items.add(s);
        bytesInFlight += s.size();
        unackedPayload += c.payload().length;
        return s;
    }

    /** A chunk marked for retransmission goes out again. */
    void retransmitted(Sent s, long now) {
        s.retransmit = false;
        s.transmissions++;
        s.lastSentAt = now;
        bytesInFlight += s.size();
    }

    /**
     * Applies a SACK whose cumulative ack is in [{@link #cumulativeAck}, {@link #nextTsn}) — the caller checks.
     * Malformed gap blocks are ignored.
     */
    AckResult onSack(long cumulative, int[] gapStarts, int[] gapEnds, long now) {
        AckResult r = new AckResult();
        long rttSentAt = -1;
        long highestNewlyAcked = -1;
        int drop = 0;
        for (Sent s : items) {
            if (s.tsn > cumulative) break;
            if (!s.acked && !s.abandoned) {
                r.bytesAcked += s.size();
                if (s.transmissions == 1) rttSentAt = s.lastSentAt; // Karn: never from a retransmitted chunk
                highestNewlyAcked = s.tsn;
            }
            if (s.inFlight()) bytesInFlight -= s.size();
            unackedPayload -= s.chunk.payload().length;
            drop++;
        }
        if (rttSentAt >= 0) r.rttNanos = now - rttSentAt;
        items.subList(0, drop).clear();
        r.cumulativeAdvanced = cumulative > cumulativeAck;
        cumulativeAck = cumulative;
        int previousEnd = 0;
        for (int i = 0; i < gapStarts.length; i++) {
            int start = gapStarts[i];
            int end = gapEnds[i];
            if (start <= previousEnd || end < start) continue; // blocks ascend without overlap: linear work
            previousEnd = end;
            for (long t = cumulative + start; t <= cumulative + end && t < nextTsn; t++) {
                Sent s = items.get((int) (t - cumulative - 1));
                if (s.acked || s.abandoned) continue;
                if (s.inFlight()) bytesInFlight -= s.size();
                s.acked = true;
                s.retransmit = false;
                r.bytesAcked += s.size();
                if (s.transmissions == 1 && r.rttNanos < 0) r.rttNanos = now - s.lastSentAt;
                highestNewlyAcked = Math.max(highestNewlyAcked, t);
            }
        }
        for (Sent s : items) {
            if (s.tsn >= highestNewlyAcked) break;
            if (!s.inFlight()) continue;
            if (++s.misses >= FAST_RETRANSMIT_MISSES && !s.fastRetransmitted) {
                s.fastRetransmitted = true;
                s.retransmit = true;
                bytesInFlight -= s.size();
                r.newFastRetransmits++;
            }
        }
        return r;
    }

    /** T3-rtx expiry (RFC 9260 §6.3.3): everything in flight is to be sent again. */
    void markAllForRetransmit() {
        for (Sent s : items) {
            if (s.inFlight()) {
                bytesInFlight -= s.size();
                s.retransmit = true;
            }
        }
    }

    /**
     * The first chunk to retransmit, abandoning on the way the messages that may not be sent again; null if none.
     * {@code abandonedOut} receives the abandoned messages.
     */
    Sent nextRetransmission(long now, java.util.List<OutgoingMessage> abandonedOut) {
        for (Sent s : items) {
            if (!s.retransmit) continue;
            if (s.message.exhausted(s.transmissions, now)) {
                abandon(s.message);
                abandonedOut.add(s.message);
                continue;
            }
            return s;
        }
        return null;
    }

    /**
     * Abandons every chunk of {@code m}, gap-acked ones included: FORWARD-TSN must cover the whole message so that
     * the receiver drops the fragments it holds.
     */
    void abandon(OutgoingMessage m) {
        m.abandoned = true;
        for (Sent s : items) {
            if (s.message != m || s.abandoned) continue;
            if (s.inFlight()) bytesInFlight -= s.size();
            s.abandoned = true;
            s.retransmit = false;
        }
    }

    /** Abandons messages whose lifetime ended while their chunks are in flight. */
    void abandonExpired(long now, java.util.List<OutgoingMessage> abandonedOut) {
        for (Sent s : items) {
            if (!s.abandoned && !s.acked && s.message.expired(now)) { // a delivered message is not abandoned
                abandon(s.message);
                abandonedOut.add(s.message);
            }
        }
    }

    /** RFC 3758 C1: the cumulative ack moved over the abandoned chunks directly above it. */
    long advancedPeerAckPoint() {
        long p = cumulativeAck;
        for (Sent s : items) {
            if (s.tsn != p + 1 || !s.abandoned) break;
            p++;
        }
        return p;
    }

    /** The FORWARD-TSN to send, or null when nothing abandoned lies directly above the cumulative ack. */
    ForwardTsnChunk forwardTsn() {
        long p = advancedPeerAckPoint();
        if (p == cumulativeAck) return null;
        Map<Integer, Integer> lastSsn = new LinkedHashMap<>();
        for (Sent s : items) {
            if (s.tsn > p) break;
            if (!s.chunk.unordered()) lastSsn.put(s.chunk.streamId(), s.chunk.ssn());
        }
        int[] sids = new int[lastSsn.size()];
        int[] ssns = new int[lastSsn.size()];
        int i = 0;
        for (Map.Entry<Integer, Integer> e : lastSsn.entrySet()) {
            sids[i] = e.getKey();
            ssns[i++] = e.getValue();
        }
        return new ForwardTsnChunk((int) p, sids, ssns);
    }

    boolean hasRetransmissions() {
        for (Sent s : items) if (s.retransmit) return true;
        return false;
    }

    /** The highest TSN sent so far. */
    long highestSent() {
        return nextTsn - 1;
    }

    /** Whether the earliest outstanding chunk is {@code s} (its retransmission restarts T3, RFC 9260 §6.3.2 R4). */
    boolean isFirst(Sent s) {
        return !items.isEmpty() && items.get(0) == s;
    }
}
