package org.conclave.sfu.forward;

import java.net.InetSocketAddress;

/**
 * What a packet thread lends the classes that send on its behalf: its one transmit buffer and its socket. Tests
 * pass a fake that records what was sent.
 */
interface PacketIo {
    /** The one transmit buffer: free to write between packets. */
    byte[] tx();

    /** Sends {@code len} bytes of {@link #tx()} (already protected) to {@code to}. */
    void send(int len, InetSocketAddress to);

    /**
     * Sends the RTP packet in {@link #tx()} to a receiver: stamps its transport-wide sequence (see
     * {@link EndpointMedia#protectForwarded}), encrypts and sends.
     *
     * @param transportCcAt where the packet's transport-wide sequence sits, or {@link EndpointMedia#NO_TRANSPORT_CC}
     *     or {@link EndpointMedia#FIND_TRANSPORT_CC}
     * @param stats where a packet that could not be encrypted is counted
     */
    default void sendRtp(EndpointMedia receiver, OutgoingStream out, int len, int transportCcAt, long nowNanos,
            WorkerStats stats) {
        int m = receiver.protectForwarded(tx(), out, len, transportCcAt, nowNanos, stats);
        if (m > 0) send(m, receiver.sendAddress);
    }
}
