package org.conclave.sfu.forward;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * ICE-TCP connections accepted and closed, by reason. Written by the listener and the packet threads once per
 * connection event (never per packet: drops at a full write buffer are {@link WorkerStats#tcpWriteBufferDrops()}).
 */
public final class IceTcpStats {
    /** Why a connection was closed; {@link #metricName()} is the metric's reason tag. */
    public enum CloseReason {
        /** Its first frame was not a STUN binding request naming a ufrag of a live endpoint. */
        UNKNOWN_UFRAG,
        /** That check failed (MESSAGE-INTEGRITY, flood budget, malformed): the connection is bound to nothing. */
        REJECTED,
        /** No complete first frame within ice_tcp_bind_timeout_ms. */
        BIND_TIMEOUT,
        /** ice_tcp_max_pending connections were already waiting for their first check. */
        PENDING_LIMIT,
        /** Its endpoint already had ice_tcp_max_connections_per_endpoint connections. */
        ENDPOINT_LIMIT,
        /** A frame longer than a datagram may be (RFC 4571 length above the limit). */
        FRAMING,
        /** The client closed or reset it. */
        PEER_CLOSED,
        /** Its endpoint ended (hang-up, ICE failure, ICE restart). */
        ENDPOINT_GONE,
        /** The SFU stopped. */
        SHUTDOWN;

        public String metricName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLongArray closed = new AtomicLongArray(CloseReason.values().length);

    void countAccepted() {
        accepted.incrementAndGet();
    }

    void countClosed(CloseReason reason) {
        closed.incrementAndGet(reason.ordinal());
    }

    /** Connections accepted on the ICE-TCP port. */
    public long accepted() {
        return accepted.get();
    }

    public long closed(CloseReason reason) {
        return closed.get(reason.ordinal());
    }
}
