package org.conclave.sfu.forward;

import java.net.InetSocketAddress;

/** How a packet thread hands its UDP datagrams to the kernel ({@code sfu.udp_send}). Packet thread only. */
interface UdpOut {
    /** Sends (or queues) {@code b[0..len)} as one datagram to {@code to}; {@code b} is free again on return. */
    void send(byte[] b, int len, InetSocketAddress to);

    /** The loop's turn ends: whatever was queued goes out now (before the thread sleeps, among others). */
    void flush();
}
