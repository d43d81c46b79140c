package org.conclave.sfu.sctp;

import java.util.concurrent.TimeUnit;
import org.conclave.sfu.sctp.chunk.DataChunk;
import org.conclave.sfu.sctp.chunk.ForwardTsnChunk;
import org.conclave.sfu.sctp.chunk.SackChunk;

/**
 * The receiving half of the data path: classifies DATA by TSN, feeds the reassembly queue within its limits, and
 * decides when to SACK — every second packet with DATA, at once on gaps, duplicates or drops, else after
 * {@link #DELAYED_SACK_NANOS} (RFC 9260 §6.2).
 */
final class DataReceiver {
    static final long DELAYED_SACK_NANOS = TimeUnit.MILLISECONDS.toNanos(200);
    static final int PACKETS_PER_SACK = 2;

    enum Outcome { ACCEPTED, DUPLICATE, DROPPED, INVALID_STREAM, TOO_LARGE }

    final TsnTracker tracker;
    final ReassemblyQueue reassembly;
    private final int streams;
    private int packetsSinceSack;
    private boolean unacked;
    private boolean sackNow;
    private long sackDeadline = Long.MAX_VALUE;

    DataReceiver(int peerInitialTsn, int streams, int maxMessageSize, ReassemblyQueue.Sink sink) {
        this.tracker = new TsnTracker(peerInitialTsn);
        this.reassembly = new ReassemblyQueue(streams, maxMessageSize, sink);
        this.streams = streams;
    }

    Outcome onData(DataChunk c) {
        long tsn = tracker.unwrap(c.tsn());
        switch (tracker.classify(tsn)) {
            case DUPLICATE -> {
                tracker.noteDuplicate(c.tsn());
                sackNow = true;
                return Outcome.DUPLICATE;
            }
            case BEYOND_WINDOW -> {
                sackNow = true;
                return Outcome.DROPPED;
            }
            default -> { }
        }
        if (c.streamId() >= streams) {
            tracker.markReceived(tsn); // acknowledged and discarded (RFC 9260 §6.5)
            return Outcome.INVALID_STREAM;
        }
        if (!reassembly.hasRoom(c.payload().length, tsn == tracker.cumulative() + 1)) {
            sackNow = true;
            return Outcome.DROPPED;
        }
        tracker.markReceived(tsn);
        return reassembly.add(tsn, c) ? Outcome.ACCEPTED : Outcome.TOO_LARGE;
    }

    void onForwardTsn(ForwardTsnChunk f) {
        long newCumulative = tracker.unwrap(f.newCumulativeTsn());
        tracker.forwardTo(newCumulative);
        reassembly.forward(newCumulative, f.streamIds(), f.ssns());
        sackNow = true;
    }

    /** After a packet that carried DATA. */
    void endOfDataPacket(long now) {
        unacked = true;
        if (++packetsSinceSack >= PACKETS_PER_SACK || tracker.hasGaps() || tracker.hasDuplicates()) sackNow = true;
        if (sackDeadline == Long.MAX_VALUE) sackDeadline = now + DELAYED_SACK_NANOS;
    }

    void requestSack() {
        sackNow = true;
    }

    boolean hasUnacked() {
        return unacked;
    }

    boolean sackDue(long now) {
        return sackNow || unacked && now >= sackDeadline;
    }

    long sackDeadline() {
        return unacked ? sackDeadline : Long.MAX_VALUE;
    }

    SackChunk takeSack() {
        packetsSinceSack = 0;
        unacked = false;
        sackNow = false;
        sackDeadline = Long.MAX_VALUE;
        return tracker.sack(reassembly.receiveWindow());
    }

    int cumulativeTsn() {
        return (int) tracker.cumulative();
    }
}
