package org.conclave.sfu.datachannel;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/** Counters of the data channels of all endpoints; updated from DTLS threads and the SCTP thread, read anywhere. */
public final class DataChannelStats {
    final LongAdder packetsReceived = new LongAdder();
    final LongAdder packetsDropped = new LongAdder();
    final LongAdder malformedPackets = new LongAdder();
    final LongAdder textMessages = new LongAdder();
    final LongAdder binaryMessages = new LongAdder();
    final LongAdder sendFailures = new LongAdder();
    final LongAdder listenerErrors = new LongAdder();
    final LongAdder rateLimited = new LongAdder();
    private final AtomicInteger backlogHighWater = new AtomicInteger();

    /** SCTP packets taken from DTLS into a backlog. */
    public long packetsReceived() {
        return packetsReceived.sum();
    }

    /** SCTP packets dropped because an endpoint's backlog was full (or the packet too large). */
    public long packetsDropped() {
        return packetsDropped.sum();
    }

    /** Packets the associations rejected: bad checksum, ports or format. */
    public long malformedPackets() {
        return malformedPackets.sum();
    }

    public long textMessages() {
        return textMessages.sum();
    }

    /** Binary messages received (the SFU ignores them). */
    public long binaryMessages() {
        return binaryMessages.sum();
    }

    /** Messages we could not queue: channel closed, larger than the client accepts, or send buffer full. */
    public long sendFailures() {
        return sendFailures.sum();
    }

    /** Exceptions thrown by listeners or handlers (caught, so one bad handler cannot break an association). */
    public long listenerErrors() {
        return listenerErrors.sum();
    }

    /** Text messages dropped because their endpoint exceeded its rate (sfu.room_messages_per_second). */
    public long rateLimited() {
        return rateLimited.sum();
    }

    /** The most packets any endpoint's backlog ever held at once. */
    public int backlogHighWater() {
        return backlogHighWater.get();
    }

    void backlog(int packets) {
        backlogHighWater.accumulateAndGet(packets, Math::max);
    }

    @Override
    public String toString() {
        return "DataChannelStats[received=" + packetsReceived() + " dropped=" + packetsDropped() + " malformed="
                + malformedPackets() + " text=" + textMessages() + " binary=" + binaryMessages() + " sendFailures="
                + sendFailures() + " listenerErrors=" + listenerErrors() + " rateLimited=" + rateLimited()
                + " backlogHighWater=" + backlogHighWater()
                + "]";
    }
}
