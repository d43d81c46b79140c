package org.conclave.sfu.forward;

import java.net.InetSocketAddress;

/** What the packet thread lends the helpers that send on its behalf (rate control, loss repair). */
interface PacketIo {
    /** The one transmit buffer: free to write between packets. */
    byte[] tx();

    /** Sends {@code len} bytes of {@link #tx()} (already protected) to {@code to}. */
    void send(int len, InetSocketAddress to);

    /** Stamps the receiver's transport-wide sequence into the RTP packet in {@link #tx()}, encrypts and sends it. */
    void sendRtp(EndpointMedia receiver, OutgoingStream out, int len, long nowNanos);

    /** Asks a sender for a key frame of a layer, within the limits. */
    void requestKeyFrame(SourceRoute route, int layer, long nowNanos);
}
