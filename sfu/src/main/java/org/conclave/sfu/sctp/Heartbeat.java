package org.conclave.sfu.sctp;

import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import org.conclave.sfu.sctp.chunk.HeartbeatChunk;
import org.conclave.sfu.sctp.chunk.Wire;

/**
 * Path heartbeats (RFC 9260 §8.3) while no data is in flight: one HEARTBEAT every {@link #INTERVAL_NANOS}, its info a
 * random nonce and the send time, so that the matching HEARTBEAT-ACK gives an RTT sample; no ack within the RTO is
 * one association error.
 */
final class Heartbeat {
    static final long INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(30);
    static final int INFO_LENGTH = 16;

    /** When to send the next heartbeat. */
    final Timer next = new Timer();
    /** When the outstanding heartbeat counts as unanswered. */
    final Timer ackWait = new Timer();
    private final RandomGenerator random;
    private long nonce;

    Heartbeat(RandomGenerator random) {
        this.random = random;
    }

    /** (Re)starts the interval: after establishment, and whenever data in flight proves the path anyway. */
    void idleFrom(long now) {
        next.start(now, INTERVAL_NANOS);
    }

    HeartbeatChunk send(long now, long rto) {
        nonce = random.nextLong();
        byte[] info = new byte[INFO_LENGTH];
        Wire.put32(info, 0, nonce >>> 32);
        Wire.put32(info, 4, nonce);
        Wire.put32(info, 8, now >>> 32);
        Wire.put32(info, 12, now);
        ackWait.start(now, rto);
        return new HeartbeatChunk(false, info);
    }

    /** The RTT measured by a HEARTBEAT-ACK for our outstanding heartbeat, or -1 if it is not one. */
    long onAck(byte[] info, long now) {
        if (info.length != INFO_LENGTH || !ackWait.running()) return -1;
        long echoedNonce = ((long) Wire.i32(info, 0) << 32) | Wire.u32(info, 4);
        if (echoedNonce != nonce) return -1;
        long sentAt = ((long) Wire.i32(info, 8) << 32) | Wire.u32(info, 12);
        ackWait.reset();
        idleFrom(now);
        return now - sentAt;
    }

    void stop() {
        next.reset();
        ackWait.reset();
    }
}
