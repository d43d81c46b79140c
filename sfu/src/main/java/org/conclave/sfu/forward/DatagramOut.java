package org.conclave.sfu.forward;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;

/**
 * A packet thread's UDP sends, from its one direct buffer: owned by that thread alone, allocated once.
 *
 * <p>Why direct: the JDK sends a direct buffer's memory as it is ({@code DatagramChannelImpl.send} takes
 * {@code sendFromNativeBuffer} for a {@code DirectBuffer}), but copies a heap buffer into a temporary direct buffer
 * of its own first, fetched from and returned to a per-thread cache on every send. SRTP still writes into the heap
 * transmit array, so the one copy left is ours; docs/benchmarks.md ("The kernel path", {@code nio-direct}) measured
 * the difference at ~5% (0-13%) of the send path.
 */
final class DatagramOut implements UdpOut {
    private final DatagramChannel channel;
    private final WorkerStats stats;
    private final ByteBuffer direct;
    /** What UDP GSO could join of these sends (counted, not changed). */
    private final SendRuns runs;

    DatagramOut(DatagramChannel channel, WorkerStats stats, int capacity) {
        this.channel = channel;
        this.stats = stats;
        this.direct = ByteBuffer.allocateDirect(capacity);
        this.runs = new SendRuns(stats);
    }

    /**
     * Sends {@code b[0..len)} as one datagram to {@code to}. A full socket buffer (the channel sends nothing) counts
     * a send drop, an I/O error a send error; neither is retried.
     */
    @Override
    public void send(byte[] b, int len, InetSocketAddress to) {
        direct.clear().limit(len);
        direct.put(0, b, 0, len); // absolute: position stays 0, the datagram is [0, len)
        try {
            if (channel.send(direct, to) == 0) {
                stats.sendDrops++;
            } else {
                stats.datagramsSent++;
                stats.bytesSent += len;
            }
        } catch (IOException e) {
            stats.sendErrors++;
        }
        runs.sent(len, to);
    }

    /** Sent already: only the GSO probe's turn ends. */
    @Override
    public void flush() {
        runs.endTurn();
    }
}
