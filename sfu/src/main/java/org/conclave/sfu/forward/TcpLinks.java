package org.conclave.sfu.forward;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.conclave.sfu.forward.IceTcpStats.CloseReason;
import org.conclave.sfu.transport.FrameReader;

/**
 * The ICE-TCP connections of one packet thread's endpoints. The thread owns them like its UDP socket: it selects on
 * them, reads their frames into the packet path as if they were datagrams from the connection's key, and writes what
 * the path sends there into the connection's bounded buffer. A full buffer drops the packet (counted): a client that
 * reads slowly loses its own packets and never stalls the thread. Packet thread only.
 */
final class TcpLinks {
    private final Selector selector;
    private final PacketPath path;
    private final WorkerStats stats;
    private final IceTcpStats tcpStats;
    private final int maxPerEndpoint;
    /** The thread's receive buffer: a frame is copied there, so the path may work on it in place as on a datagram. */
    private final byte[] rx;
    private final Map<InetSocketAddress, TcpConnection> byKey = new HashMap<>();
    /** Connections select() found ready, handled after the thread's tasks (a task may be what makes them usable). */
    private TcpConnection[] ready = new TcpConnection[4];
    private int readyCount;
    /** One instance, so select(Consumer) allocates nothing. */
    final Consumer<SelectionKey> onSelected = this::selected;

    TcpLinks(Selector selector, PacketPath path, WorkerStats stats, IceTcpStats tcpStats, int maxPerEndpoint,
            byte[] rx) {
        this.selector = selector;
        this.path = path;
        this.stats = stats;
        this.tcpStats = tcpStats;
        this.maxPerEndpoint = maxPerEndpoint;
        this.rx = rx;
    }

    /**
     * A connection the listener handed over: its first frame (buffered in its reader) named one of this thread's
     * endpoints. That check must pass here, or the connection is closed.
     */
    void adopt(TcpConnection c, long now) {
        EndpointMedia ep = c.ufrag == null ? null : path.endpoints.byUfrag(c.ufrag);
        if (ep == null) {
            close(c, CloseReason.UNKNOWN_UFRAG);
            return;
        }
        if (ep.tcpConnections >= maxPerEndpoint) {
            close(c, CloseReason.ENDPOINT_LIMIT);
            return;
        }
        try {
            c.selectionKey = c.channel.register(selector, SelectionKey.OP_READ, c);
        } catch (ClosedChannelException e) {
            close(c, CloseReason.PEER_CLOSED);
            return;
        }
        c.endpoint = ep;
        ep.tcpConnections++;
        byKey.put(c.key, c);
        if (byKey.size() > ready.length) ready = Arrays.copyOf(ready, 2 * byKey.size());
        frames(c, now);
        if (!c.closed && path.endpoints.byAddress(c.key) != ep) close(c, CloseReason.REJECTED);
    }

    /**
     * Sends {@code len} bytes of {@code b} on the connection keyed {@code to}. @return false when {@code to} is no
     * connection of this thread (a UDP address); true when the packet was queued or dropped at a full buffer
     */
    boolean send(byte[] b, int len, InetSocketAddress to) {
        if (byKey.isEmpty()) return false;
        TcpConnection c = byKey.get(to);
        if (c == null) return false;
        boolean idle = !c.hasQueued();
        if (!c.enqueue(b, 0, len)) {
            stats.tcpWriteBufferDrops++;
            return true;
        }
        stats.datagramsSent++;
        stats.bytesSent += len;
        if (idle) flush(c); // otherwise the socket is full: select() says when it takes more
        return true;
    }

    int size() {
        return byKey.size();
    }

    private void selected(SelectionKey key) {
        if (key.attachment() instanceof TcpConnection c && readyCount < ready.length) ready[readyCount++] = c;
    }

    /** Reads and writes what the connections select() found ready allow. */
    void handleReady(long now) {
        for (int i = 0; i < readyCount; i++) {
            TcpConnection c = ready[i];
            ready[i] = null;
            SelectionKey key = c.selectionKey;
            if (c.closed || key == null || !key.isValid()) continue;
            int ops = key.readyOps();
            if ((ops & SelectionKey.OP_WRITE) != 0) flush(c);
            if (c.closed || (ops & SelectionKey.OP_READ) == 0) continue;
            try {
                if (c.read() < 0) {
                    close(c, CloseReason.PEER_CLOSED);
                } else {
                    frames(c, now);
                }
            } catch (IOException e) {
                close(c, CloseReason.PEER_CLOSED);
            }
        }
        readyCount = 0;
    }

    /** Hands every complete frame of {@code c} to the packet path, as a datagram from its key. */
    private void frames(TcpConnection c, long now) {
        FrameReader reader = c.reader;
        int n;
        while (!c.closed && (n = reader.next()) != FrameReader.NEED_MORE) {
            if (n == FrameReader.TOO_LONG) {
                close(c, CloseReason.FRAMING);
                return;
            }
            System.arraycopy(reader.array(), reader.frameOffset(), rx, 0, n);
            stats.datagramsReceived++;
            stats.bytesReceived += n;
            try {
                path.onPacket(c.key, c.remote, rx, n, now);
            } catch (RuntimeException e) {
                stats.internalErrors++; // as for a datagram: a parser bug must never kill the packet thread
            }
        }
    }

    private void flush(TcpConnection c) {
        try {
            boolean done = c.flush();
            int ops = done ? SelectionKey.OP_READ : SelectionKey.OP_READ | SelectionKey.OP_WRITE;
            if (c.selectionKey != null && c.selectionKey.isValid() && c.selectionKey.interestOps() != ops) {
                c.selectionKey.interestOps(ops);
            }
        } catch (IOException e) {
            close(c, CloseReason.PEER_CLOSED);
        }
    }

    /** Closes the connections of an endpoint that ended (control task: allocation is fine). */
    void closeAll(EndpointMedia ep) {
        for (TcpConnection c : List.copyOf(byKey.values())) {
            if (c.endpoint == ep) close(c, CloseReason.ENDPOINT_GONE);
        }
    }

    /** The thread stops. */
    void closeAll() {
        for (TcpConnection c : List.copyOf(byKey.values())) close(c, CloseReason.SHUTDOWN);
    }

    void close(TcpConnection c, CloseReason reason) {
        if (c.closed) return;
        c.close();
        tcpStats.countClosed(reason);
        if (byKey.remove(c.key, c) && c.endpoint != null) {
            c.endpoint.tcpConnections--;
            path.endpoints.lost(c.endpoint, c.key);
        }
    }
}
