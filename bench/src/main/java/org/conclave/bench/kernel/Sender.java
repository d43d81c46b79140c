package org.conclave.bench.kernel;

import java.util.concurrent.Callable;

/**
 * One way of putting the packet thread's datagrams on the wire. The benchmark copies each packet from a byte array
 * (the packet thread's transmit buffer, where SRTP encrypted it) into whatever the sender sends from, so every
 * variant pays the same copy.
 */
interface Sender extends AutoCloseable {
    String name();

    /** Sends, or queues until {@link #flush()}, {@code len} bytes of {@code tx} to receiver {@code r}. */
    void queue(byte[] tx, int len, int r);

    /** The end of a batch (one turn of the packet loop): whatever was queued goes out now. */
    void flush();

    /** Runs {@code task} on the thread that must send (Netty: the channel's event loop). */
    <T> T onSendThread(Callable<T> task) throws Exception;

    /** Datagrams that could not be handed to the kernel (socket buffer full, or an error). */
    long dropped();

    @Override
    void close() throws Exception;
}
